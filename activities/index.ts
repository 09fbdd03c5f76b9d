import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/db/tables.ts';
import { createEvalRunActivities } from './eval-runs/index.ts';
import { createEvaluationActivities } from './evaluation/index.ts';
import { createScoreActivities } from './evaluation/score-activities.ts';
import { createImprovementActivities } from './improvement/index.ts';
import { createEmbedder } from './knowledge/create-embedder.ts';
import { KnowledgeBase } from './knowledge/knowledge-base.ts';
import { createMessagingActivities } from './messaging/index.ts';
import { createRunActivities } from './runs/index.ts';
import { createStepActivities } from './steps/index.ts';
import { createSwarmActivities } from './swarms/index.ts';
import type { TaskTypeRegistry } from './task-types/registry.ts';
import { createTier3Activities, type Tier3Dependencies } from './tier3/index.ts';
import { createUserTaskActivities } from './user-tasks/index.ts';

export interface ActivityDependencies {
  db: Kysely<Database>;
  taskTypes: TaskTypeRegistry;
  /** Signals mailboxes and runs for BPMN messages and signals. */
  temporal: Client;
  /** The worker's task queue, where message mailboxes run. */
  taskQueue: string;
  /** Models, MCP servers, prices and tool policy of the deployment. */
  tier3: Tier3Dependencies;
}

/** The activities a Swarmflow worker registers, bound to their dependencies. */
export function createActivities({ db, taskTypes, temporal, taskQueue, tier3 }: ActivityDependencies) {
  const knowledge = new KnowledgeBase(db, createEmbedder(tier3.deployment.embeddings));
  return {
    ...createStepActivities({ db, taskTypes, prices: tier3.deployment.prices }),
    ...createRunActivities({ db, temporal, taskQueue, knowledge }),
    ...createMessagingActivities({ temporal, taskQueue }),
    ...createUserTaskActivities({ db }),
    ...createTier3Activities(tier3),
    ...createSwarmActivities({ db, tier3, knowledge }),
    ...createScoreActivities({ db }),
    ...createEvaluationActivities({
      db,
      models: tier3.models,
      breakers: tier3.breakers,
      prices: tier3.deployment.prices,
    }),
    ...createEvalRunActivities({ db, temporal }),
    ...createImprovementActivities({ db, tier3, knowledge, temporal }),
  };
}

export type SwarmflowActivities = ReturnType<typeof createActivities>;
