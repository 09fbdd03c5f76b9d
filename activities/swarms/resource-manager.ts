import { formatProblem, RoutineCompileError } from '../../compiler/index.ts';
import { type Agent, LEADER_ROLE } from '../../schema/agent.ts';
import type { JsonValue, Variables } from '../../schema/json.ts';
import { RoutineDefinition } from '../../schema/routine.ts';
import type { ResourceManageInput } from '../../schema/swarm-tools.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { compileAndRegisterRoutine } from '../store/routine-registration.ts';
import type { RoutineStore } from '../store/routine-store.ts';
import type { AgentCatalog } from './agent-catalog.ts';
import { SwarmFailureType, swarmRefusal } from './failures.ts';

export interface ResourceManagerDependencies {
  agents: AgentCatalog;
  routines: RoutineStore;
  /** Finds routines and agents by meaning (semantic search of the knowledge base). */
  knowledge: KnowledgeBase;
}

export interface ResourceRequest {
  tenantId: string;
  /** The agent calling the tool: only the leader may change the catalog. */
  agent: Agent;
  input: ResourceManageInput;
}

/** Results of a find beyond this many are left out: an agent reads them in its prompt. */
const maxFound = 20;

/**
 * The `resource_manage` tool: finds routines or agents by text; the leader alone adds,
 * updates and deletes them. Writes are safe to repeat, since an activity may be retried after
 * it wrote. Refusals and bad definitions fail non-retryably, saying why.
 */
export async function manageResource(
  deps: ResourceManagerDependencies,
  request: ResourceRequest,
): Promise<JsonValue> {
  const { input, tenantId } = request;
  if (input.action === 'find') return find(deps, tenantId, input.kind, input.query);
  requireLeader(request.agent, `${input.action} ${input.kind}s`);
  switch (input.action) {
    case 'add':
      return input.kind === 'agent'
        ? addAgent(deps.agents, tenantId, input.agent)
        : addRoutine(deps.routines, tenantId, input.routine);
    case 'update':
      return updateAgent(deps.agents, tenantId, input.agent);
    case 'delete': {
      const deleted =
        input.kind === 'agent'
          ? await deps.agents.delete(tenantId, input.id)
          : await deps.routines.delete(tenantId, input.id);
      return { kind: input.kind, id: input.id, deleted };
    }
  }
}

function requireLeader(agent: Agent, what: string): void {
  if (agent.role === LEADER_ROLE) return;
  throw swarmRefusal(
    SwarmFailureType.resourceRefused,
    `${agent.id} (role "${agent.role}") may not ${what}: only the leader may change the catalog; other agents may find routines and agents`,
  );
}

async function find(
  deps: ResourceManagerDependencies,
  tenantId: string,
  kind: 'routine' | 'agent',
  query: string,
): Promise<JsonValue> {
  if (kind === 'routine') {
    const routines = await deps.routines.listInterfaces(tenantId);
    const found = await matching(deps.knowledge, tenantId, 'routine', query, routines, (r) => r.id);
    // Their JSON Schemas are JSON, which their type does not say.
    return { routines: found as JsonValue[] };
  }
  const agents = await deps.agents.list(tenantId);
  return { agents: await matching(deps.knowledge, tenantId, 'agent', query, agents, (a) => a.id) };
}

/**
 * All items for an empty query, else those the knowledge base's semantic search finds related to
 * it (the embedder's calibrated threshold; the best one from its lower threshold), most similar first.
 */
async function matching<T>(
  knowledge: KnowledgeBase,
  tenantId: string,
  kind: 'routine' | 'agent',
  query: string,
  items: readonly T[],
  idOf: (item: T) => string,
): Promise<T[]> {
  if (query.trim() === '') return items.slice(0, maxFound);
  const hits = await knowledge.search(tenantId, { query, kinds: [kind], limit: maxFound });
  const { related, best } = knowledge.embedder.relatedScores;
  const byId = new Map(items.map((item) => [idOf(item), item]));
  return hits
    .filter(({ score }, index) => score >= related || (index === 0 && score >= best))
    .flatMap((hit) => {
      const item = byId.get(hit.sourceId);
      return item === undefined ? [] : [item];
    });
}

/** Adds an agent; the same agent again is a repeat and succeeds, another one under its id is refused. */
async function addAgent(agents: AgentCatalog, tenantId: string, agent: Agent): Promise<JsonValue> {
  if (await agents.insertNew(tenantId, agent)) return { added: agent };
  const existing = await agents.get(tenantId, agent.id);
  if (JSON.stringify(existing) === JSON.stringify(agent)) return { added: agent };
  throw swarmRefusal(
    SwarmFailureType.resourceRefused,
    `the catalog already has an agent "${agent.id}": use action "update" to change it, or another id`,
  );
}

async function updateAgent(agents: AgentCatalog, tenantId: string, agent: Agent): Promise<JsonValue> {
  if (await agents.update(tenantId, agent)) return { updated: agent };
  throw swarmRefusal(
    SwarmFailureType.resourceRefused,
    `the catalog has no agent "${agent.id}" to update: use action "add" to create it`,
  );
}

async function addRoutine(routines: RoutineStore, tenantId: string, given: Variables): Promise<JsonValue> {
  const parsed = RoutineDefinition.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(routine)'}: ${issue.message}`,
    );
    throw swarmRefusal(
      SwarmFailureType.resourceRefused,
      `the routine is not a routine definition: ${problems.join('; ')}; fix it and add it again`,
    );
  }
  const routine = parsed.data;
  try {
    const { version, created } = await compileAndRegisterRoutine(routines, tenantId, routine);
    return { id: routine.id, version, created };
  } catch (error) {
    if (!(error instanceof RoutineCompileError)) throw error;
    throw swarmRefusal(
      SwarmFailureType.resourceRefused,
      `routine ${routine.id} does not compile: ${error.problems.map(formatProblem).join('; ')}; fix it and add it again`,
    );
  }
}
