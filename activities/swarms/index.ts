import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import { createEmbedder } from '../knowledge/create-embedder.ts';
import { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { rankRoutines } from '../knowledge/routine-ranking.ts';
import { RoutineStore } from '../store/routine-store.ts';
import type { Tier3Dependencies } from '../tier3/index.ts';
import { AgentCatalog } from './agent-catalog.ts';
import type { SwarmActivities } from './contract.ts';
import { planRefusal } from './plan-refusal.ts';
import { manageResource } from './resource-manager.ts';
import { planFromRoutines } from './rule-planner.ts';
import { appendTranscript, indexSwarmResult, recordSwarm } from './swarm-read-model.ts';
import { prepareSwarmRun } from './swarm-runs.ts';
import { assembleTeam } from './team-assembly.ts';

export interface SwarmActivityDependencies {
  db: Kysely<Database>;
  /** The deployment's models: whether a leader can plan with an LLM. */
  tier3: Pick<Tier3Dependencies, 'deployment'>;
  /** The knowledge base the planner and `resource_manage` search; the deployment's embedder by default. */
  knowledge?: KnowledgeBase;
}

/** The activities the swarm workflow calls (see contract.ts), bound to the database and the deployment. */
export function createSwarmActivities({ db, tier3, knowledge: given }: SwarmActivityDependencies) {
  const agents = new AgentCatalog(db);
  const routines = new RoutineStore(db);
  const knowledge = given ?? new KnowledgeBase(db, createEmbedder(tier3.deployment.embeddings));
  const { models, defaultModel } = tier3.deployment;
  return {
    async swarmModels() {
      return { ...(defaultModel === undefined ? {} : { defaultModel }), names: Object.keys(models) };
    },
    async assembleSwarmTeam({ tenantId, requirements }) {
      return assembleTeam(await agents.list(tenantId), requirements);
    },
    async planSwarmFromCatalog({ tenantId, input = {}, ...request }) {
      const catalog = await routines.listInterfaces(tenantId);
      const ranked = await rankRoutines(knowledge, tenantId, request.goal, catalog);
      const { relatedScores } = knowledge.embedder;
      const plan = planFromRoutines({ ...request, input, ranked, relatedScores });
      if (plan.kind !== 'planned') throw planRefusal(request.goal, plan);
      return plan.subtasks;
    },
    prepareSwarmRun: (request) => prepareSwarmRun(routines, request),
    async recordSwarm(record) {
      await recordSwarm(db, record);
      if (record.ended) await indexSwarmResult(knowledge, record);
    },
    appendSwarmTranscript: (request) => appendTranscript(db, request),
    searchSwarmKnowledge: ({ tenantId, input }) => knowledge.search(tenantId, input),
    manageSwarmResource: (request) => manageResource({ agents, routines, knowledge }, request),
  } satisfies SwarmActivities;
}
