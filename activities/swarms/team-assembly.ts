import { Agent, LEADER_ROLE, type TeamRequirements } from '../../schema/agent.ts';
import { SwarmFailureType, swarmRefusal } from './failures.ts';

/** The leader a team gets when the catalog has none: it may run every routine and no tools. */
export const DEFAULT_LEADER: Agent = Agent.parse({
  id: 'leader',
  role: LEADER_ROLE,
  description: 'Leads the swarm: plans the goal, assigns subtasks and reports the result',
});

/** With no roles or skills required, the team is the catalog's first agents, this many at most. */
export const DEFAULT_TEAM_SIZE = 8;

/**
 * A team from the catalog: its leader (or the default one), an agent for each required role,
 * and agents covering the required skills, fewest first; with nothing required, the catalog's
 * first agents. Refuses (non-retryable), naming every role and skill no agent of the catalog has.
 */
export function assembleTeam(catalog: readonly Agent[], requirements: TeamRequirements): Agent[] {
  if (requirements.roles.length === 0 && requirements.skills.length === 0) return wholeCatalog(catalog);
  const team = new Map<string, Agent>();
  const add = (agent: Agent) => team.set(agent.id, agent);
  add(catalog.find((agent) => agent.role === LEADER_ROLE) ?? DEFAULT_LEADER);

  const problems: string[] = [];
  for (const role of new Set(requirements.roles)) {
    if (sameWord(role, LEADER_ROLE)) continue;
    const agent = catalog.find((candidate) => sameWord(candidate.role, role));
    if (agent) add(agent);
    else problems.push(`no agent has the role "${role}"`);
  }
  const missing = coverSkills(catalog, requirements.skills, team, add);
  problems.push(...missing.map((skill) => `no agent has the skill "${skill}"`));

  if (problems.length > 0) {
    throw swarmRefusal(
      SwarmFailureType.teamNotAssembled,
      `cannot assemble a team from the agent catalog: ${problems.join('; ')}; register such agents (agents.register) or give the swarm its team`,
    );
  }
  return [...team.values()];
}

function wholeCatalog(catalog: readonly Agent[]): Agent[] {
  const leader = catalog.find((agent) => agent.role === LEADER_ROLE) ?? DEFAULT_LEADER;
  const others = catalog.filter((agent) => agent.id !== leader.id);
  return [leader, ...others].slice(0, DEFAULT_TEAM_SIZE);
}

/**
 * Adds agents until the team covers the skills, each time the agent covering most of the
 * missing ones (a greedy set cover); returns the skills no agent covers.
 */
function coverSkills(
  catalog: readonly Agent[],
  skills: readonly string[],
  team: ReadonlyMap<string, Agent>,
  add: (agent: Agent) => void,
): string[] {
  let missing = [...new Set(skills)].filter((skill) => !covers([...team.values()], skill));
  for (;;) {
    const covered = (agent: Agent) => missing.filter((skill) => covers([agent], skill)).length;
    const best = catalog
      .filter((agent) => !team.has(agent.id) && covered(agent) > 0)
      .sort((a, b) => covered(b) - covered(a))[0];
    if (!best) return missing;
    add(best);
    missing = missing.filter((skill) => !covers([best], skill));
  }
}

function covers(agents: readonly Agent[], skill: string): boolean {
  return agents.some((agent) => agent.skills.some((own) => sameWord(own, skill)));
}

function sameWord(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
