import { z } from 'zod';
import { Agent } from './agent.ts';
import { JsonValue, Variables } from './json.ts';
import { KnowledgeKind, maxKnowledgeQueryLength } from './knowledge.ts';
import { OptimizerName } from './optimizer-name.ts';
import { SubtaskId, SubtaskProposal, SwarmLimits } from './swarm.ts';

/**
 * The tools agents act through. The swarm workflow executes them itself, deterministically,
 * after validating their input with these schemas; an invalid call is answered with the
 * problems and changes nothing.
 */

const Keys = z.array(z.string().min(1));

export const UpdateSharedStateInput = z.strictObject({
  goal: z.string().min(1).optional(),
  subtasks: z
    .strictObject({
      set: z.array(SubtaskProposal).default([]).describe('add subtasks, or replace those not started'),
      delete: z.array(SubtaskId).default([]).describe('cancel subtasks not started'),
    })
    .optional(),
  blackboard: z
    .strictObject({
      set: Variables.optional(),
      delete: Keys.optional(),
      append: Variables.optional().describe('push each value onto the list at its key'),
      increment: z.record(z.string(), z.number()).optional(),
      merge: z.record(z.string(), Variables).optional().describe('shallow-merge into the object at its key'),
    })
    .optional(),
});
export type UpdateSharedStateInput = z.infer<typeof UpdateSharedStateInput>;

export const RunRoutineInput = z.strictObject({
  routineId: z.string().min(1),
  input: Variables.default({}),
  mode: z.enum(['sync', 'async']).default('sync').describe('sync: wait for its outcome; async: a subtask'),
  subtaskId: SubtaskId.optional().describe('async: the subtask it becomes (default: generated)'),
});
export type RunRoutineInput = z.infer<typeof RunRoutineInput>;

export const SpawnSwarmInput = z.strictObject({
  goal: z.string().min(1),
  subtaskId: SubtaskId.optional().describe('the subtask it becomes (default: generated)'),
  team: z.array(Agent).min(1).optional().describe("absent: this swarm's team"),
  budget: SwarmLimits.pick({ maxCredits: true, maxTokens: true, maxToolCalls: true })
    .partial()
    .default({})
    .describe('reserved from this swarm for the sub-swarm'),
});
export type SpawnSwarmInput = z.infer<typeof SpawnSwarmInput>;

export const SendMessageInput = z.strictObject({
  to: z.string().min(1).describe('"user", "swarm", or an agent id of the team'),
  text: z.string().min(1),
});
export type SendMessageInput = z.infer<typeof SendMessageInput>;

export const ResourceManageInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('find'),
    kind: z.enum(['routine', 'agent']),
    query: z.string().default(''),
  }),
  // Two variants share action "add": zod refuses a duplicate discriminator value at the first
  // parse, so they form their own union, told apart by `kind`.
  z.discriminatedUnion('kind', [
    z.strictObject({ action: z.literal('add'), kind: z.literal('agent'), agent: Agent }),
    z.strictObject({
      action: z.literal('add'),
      kind: z.literal('routine'),
      routine: Variables.describe(
        'a routine as `swarmflow routine register` takes it: {id, name, description, inputSchema, outputSchema, body: {kind: "sequence", steps} or {kind: "bpmn", xml}}',
      ),
    }),
  ]),
  z.strictObject({ action: z.literal('update'), kind: z.literal('agent'), agent: Agent }),
  z.strictObject({ action: z.literal('delete'), kind: z.enum(['routine', 'agent']), id: z.string().min(1) }),
]);
export type ResourceManageInput = z.infer<typeof ResourceManageInput>;

export const KnowledgeSearchInput = z.strictObject({
  query: z.string().trim().min(1).max(maxKnowledgeQueryLength).describe('what to find, in your own words'),
  kinds: z
    .array(KnowledgeKind)
    .min(1)
    .optional()
    .describe(
      'only these: routine, agent, swarmResult (past swarms), runSummary (past runs), document, proposal (improvement proposals and their decisions)',
    ),
  limit: z.number().int().min(1).max(20).default(5),
});
export type KnowledgeSearchInput = z.infer<typeof KnowledgeSearchInput>;

export const ImproveRoutineInput = z.strictObject({
  routineId: z.string().min(1).describe('a routine this swarm ran (as a subtask or with run_routine)'),
  subtaskId: SubtaskId.optional().describe('the subtask it becomes (default: generated)'),
  budgetCredits: z
    .number()
    .positive()
    .optional()
    .describe('credits the cycle may spend, reserved from this swarm (default: 100, at most what is left)'),
  optimizers: z
    .array(OptimizerName)
    .min(1)
    .optional()
    .describe("the optimizers to ask (default: the routine's policy, else modelSelection)"),
});
export type ImproveRoutineInput = z.infer<typeof ImproveRoutineInput>;

export const EndSwarmInput = z.strictObject({
  mode: z.enum(['graceful', 'force']).default('graceful'),
  result: JsonValue.optional().describe("the swarm's result"),
  reason: z.string().optional(),
});
export type EndSwarmInput = z.infer<typeof EndSwarmInput>;

export const SWARM_TOOLS = {
  update_swarm_shared_state: {
    input: UpdateSharedStateInput,
    description: 'Change the goal, set or delete subtasks, and edit the shared blackboard.',
  },
  run_routine: {
    input: RunRoutineInput,
    description: 'Run a routine of the catalog: sync returns its outputs, async adds it as a subtask.',
  },
  spawn_swarm: {
    input: SpawnSwarmInput,
    description: 'Start a sub-swarm on a goal with a budget reserved from this swarm.',
  },
  send_message: {
    input: SendMessageInput,
    description: 'Send a message to the user, the swarm or an agent.',
  },
  resource_manage: {
    input: ResourceManageInput,
    description: 'Find, add, update or delete routines and agents in the catalog.',
  },
  knowledge_search: {
    input: KnowledgeSearchInput,
    description:
      "Search the tenant's knowledge base by meaning: routines, agents, past swarm results and run summaries, and documents users added.",
  },
  improve_routine: {
    input: ImproveRoutineInput,
    description:
      "Run an improvement cycle on a routine this swarm ran, as a subtask: it proposes and evaluates candidate versions and promotes one only if the routine's policy allows; when a proposal waits for a person, the subtask ends with the pending proposal.",
  },
  end_swarm: { input: EndSwarmInput, description: 'End the swarm with a result (graceful or force).' },
} as const;
export type SwarmToolName = keyof typeof SWARM_TOOLS;

export const SWARM_TOOL_SERVER = 'swarm';
