import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import { RoutineStore } from '../store/routine-store.ts';
import type { Tier3Dependencies } from '../tier3/index.ts';
import { AgentCatalog } from './agent-catalog.ts';
import type { SwarmActivities } from './contract.ts';
import { planRefusal } from './plan-refusal.ts';
import { manageResource } from './resource-manager.ts';
import { planFromRoutines } from './rule-planner.ts';
import { appendTranscript, recordSwarm } from './swarm-read-model.ts';
import { prepareSwarmRun } from './swarm-runs.ts';
import { assembleTeam } from './team-assembly.ts';

export interface SwarmActivityDependencies {
  db: Kysely<Database>;
  /** The deployment's models: whether a leader can plan with an LLM. */
  tier3: Pick<Tier3Dependencies, 'deployment'>;
}

/** The activities the swarm workflow calls (see contract.ts), bound to the database and the deployment. */
export function createSwarmActivities({ db, tier3 }: SwarmActivityDependencies) {
  const agents = new AgentCatalog(db);
  const routines = new RoutineStore(db);
  const { models, defaultModel } = tier3.deployment;
  return {
    async swarmModels() {
      return { ...(defaultModel === undefined ? {} : { defaultModel }), names: Object.keys(models) };
    },
    async assembleSwarmTeam({ tenantId, requirements }) {
      return assembleTeam(await agents.list(tenantId), requirements);
    },
    async planSwarmFromCatalog({ tenantId, input = {}, ...request }) {
      const plan = planFromRoutines({ ...request, input, routines: await routines.listInterfaces(tenantId) });
      if (plan.kind !== 'planned') throw planRefusal(request.goal, plan);
      return plan.subtasks;
    },
    prepareSwarmRun: (request) => prepareSwarmRun(routines, request),
    recordSwarm: (record) => recordSwarm(db, record),
    appendSwarmTranscript: (request) => appendTranscript(db, request),
    manageSwarmResource: (request) => manageResource({ agents, routines }, request),
  } satisfies SwarmActivities;
}
