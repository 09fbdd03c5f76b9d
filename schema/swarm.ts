import { z } from 'zod';
import { Agent, TeamRequirements } from './agent.ts';
import { PendingApproval } from './approvals.ts';
import { JsonValue, Variables } from './json.ts';
import { OptimizerName } from './optimizer-name.ts';
import { OutcomeError, Parking } from './outcome-error.ts';
import { RunId } from './run.ts';
import { ToolPolicy } from './tools.ts';
import { Usage } from './usage.ts';

/**
 * Swarms (tier 1): a goal, a team, subtasks with dependencies, a shared blackboard, and the
 * child runs and sub-swarms doing the work, under limits. Workflows, activities, the SDK, the
 * CLI and the MCP server all speak these types.
 */

export const SwarmId = RunId.describe('letters, digits, _ . : - only; the workflow id is swarm/<id>');

export const SubtaskId = z.string().regex(/^[\w.:-]{1,100}$/, 'letters, digits, _ . : - only (at most 100)');

export const SubtaskStatus = z.enum(['todo', 'in_progress', 'done', 'blocked', 'failed', 'cancelled']);
export type SubtaskStatus = z.infer<typeof SubtaskStatus>;

/** A subtask as the leader proposes it: free-form (done by its assignee) or a routine to run. */
export const SubtaskProposal = z.strictObject({
  id: SubtaskId,
  description: z.string().min(1),
  assignee: z.string().min(1).optional().describe('an agent id of the team; absent: chosen by the swarm'),
  dependsOn: z.array(SubtaskId).default([]),
  routineId: z.string().min(1).optional().describe('run this routine; absent: the assignee does it'),
  input: Variables.optional().describe(
    "the routine's input; the results of dependencies are merged under it",
  ),
});
export type SubtaskProposal = z.infer<typeof SubtaskProposal>;

/** A sub-swarm a subtask starts: its goal, team, and the budget reserved for it from the parent. */
export const SubSwarmSpec = z.object({
  goal: z.string().min(1),
  team: z.array(Agent).optional(),
  budget: z.object({
    maxCredits: z.number().nonnegative().optional(),
    maxTokens: z.number().int().nonnegative().optional(),
    maxToolCalls: z.number().int().nonnegative().optional(),
  }),
});
export type SubSwarmSpec = z.infer<typeof SubSwarmSpec>;

/**
 * An improvement cycle a subtask runs on a routine the swarm's team used (the leader's
 * `improve_routine`): the credits reserved for it from the swarm, and the optimizers to ask.
 */
export const ImprovementSpec = z.object({
  routineId: z.string().min(1),
  budgetCredits: z.number().nonnegative(),
  optimizers: z.array(OptimizerName).min(1).optional(),
});
export type ImprovementSpec = z.infer<typeof ImprovementSpec>;

export const Subtask = SubtaskProposal.extend({
  subSwarm: SubSwarmSpec.optional(),
  improvement: ImprovementSpec.optional(),
  status: SubtaskStatus,
  result: JsonValue.optional(),
  error: z.string().optional(),
  errorType: z.string().optional().describe("the failure's type, e.g. InvalidRoutineInput or RunFailed"),
  runId: z.string().optional().describe('the child run doing it'),
  swarmId: z.string().optional().describe('the sub-swarm doing it'),
});
export type Subtask = z.infer<typeof Subtask>;

export const SwarmLimits = z.strictObject({
  maxCredits: z.number().nonnegative().optional(),
  maxTokens: z.number().int().nonnegative().optional(),
  maxToolCalls: z.number().int().nonnegative().optional(),
  maxDurationMs: z.number().int().positive().optional().describe('wall time from the swarm start'),
  maxSubtasks: z.number().int().positive().default(50),
  maxDepth: z.number().int().min(0).default(2).describe('levels of sub-swarms below this swarm'),
  maxConcurrency: z.number().int().positive().default(4).describe('subtasks running at once'),
  maxLeaderTurns: z.number().int().positive().default(8).describe('LLM turns of one leader or agent round'),
  onLimit: z.enum(['pause', 'stop']).default('pause'),
  historyEventsBeforeContinueAsNew: z.number().int().min(200).default(4000),
  approvalTimeoutMs: z.number().int().positive().default(600_000),
});
export type SwarmLimits = z.infer<typeof SwarmLimits>;
export type SwarmLimitsInput = z.input<typeof SwarmLimits>;

/** Which planner decomposes the goal: the leader's LLM, the rule-based planner, or the LLM when one is configured. */
export const PlannerChoice = z.enum(['auto', 'llm', 'rules']);
export type PlannerChoice = z.infer<typeof PlannerChoice>;

export const StartSwarmRequest = z.strictObject({
  goal: z.string().min(1),
  swarmId: SwarmId.optional(),
  team: z.array(Agent).min(1).optional().describe('absent: assembled from the catalog'),
  requirements: TeamRequirements.optional().describe('roles and skills to assemble a team for'),
  limits: SwarmLimits.partial().optional(),
  planner: PlannerChoice.default('auto'),
  input: Variables.default({}).describe('variables every routine subtask starts with'),
  awaitMessages: z
    .boolean()
    .default(false)
    .describe('with nothing left to do, wait for messages instead of ending'),
  toolPolicy: ToolPolicy.optional().describe("tightens the deployment's tool policy for the swarm's agents"),
  tenantId: z.string().min(1).optional(),
});
export type StartSwarmRequest = z.infer<typeof StartSwarmRequest>;
export type StartSwarmRequestInput = z.input<typeof StartSwarmRequest>;

export const SwarmStatus = z.enum([
  'planning',
  'running',
  'idle',
  'paused',
  'stopping',
  'completed',
  'stopped',
  'failed',
  'cancelled',
]);
export type SwarmStatus = z.infer<typeof SwarmStatus>;

export const TranscriptEntry = z.object({
  seq: z.number().int().nonnegative(),
  at: z.iso.datetime(),
  from: z.string().describe('"user", "swarm", or an agent id'),
  to: z.string().describe('"swarm", "user", or an agent id'),
  kind: z.enum(['message', 'tool_call', 'tool_result', 'event']),
  text: z.string(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;

export const SwarmChild = z.object({
  kind: z.enum(['run', 'swarm', 'improvement']),
  id: z.string(),
  workflowId: z.string(),
  subtaskId: z.string().optional(),
  routineId: z.string().optional().describe('the routine a child run or improvement cycle is of'),
  status: z.string(),
});
export type SwarmChild = z.infer<typeof SwarmChild>;

/** Where a swarm sits in a tree of swarms, and the budget its parent reserved for it. */
export const SwarmLineage = z.object({
  rootSwarmId: z.string(),
  parentSwarmId: z.string().optional(),
  depth: z.number().int().min(0),
});
export type SwarmLineage = z.infer<typeof SwarmLineage>;

/** The `getState` query's answer: everything a person or an agent needs to see of a swarm. */
export const SwarmState = z.object({
  swarmId: z.string(),
  tenantId: z.string(),
  status: SwarmStatus,
  statusReason: z.string().optional(),
  pausedOnLimit: z
    .boolean()
    .optional()
    .describe('paused because a limit was reached: resume with raised limits'),
  goal: z.string(),
  team: z.array(Agent),
  subtasks: z.array(Subtask),
  blackboard: Variables,
  transcript: z.array(TranscriptEntry).describe('the most recent entries; all of them are in PostgreSQL'),
  children: z.array(SwarmChild),
  usage: Usage,
  limits: SwarmLimits,
  lineage: SwarmLineage,
  pendingApprovals: z.array(PendingApproval),
  currentActivity: z.string(),
  result: JsonValue.optional(),
});
export type SwarmState = z.infer<typeof SwarmState>;

/** What a swarm ends with; also what `swarm start --json` prints. */
export const SwarmOutcome = z.object({
  swarmId: z.string(),
  status: SwarmStatus,
  result: JsonValue.optional(),
  subtasks: z.array(Subtask),
  usage: Usage,
  error: z.string().optional(),
  failure: OutcomeError.optional().describe(
    'why the swarm did not complete, typed, with what to do about it',
  ),
  parkedOn: Parking.optional().describe('set when a wait ended because the swarm waits for a person'),
});
export type SwarmOutcome = z.infer<typeof SwarmOutcome>;

/** A message to a swarm from a person or another service. */
export const SwarmMessageRequest = z.strictObject({
  text: z.string().min(1),
  from: z.string().min(1).default('user'),
  to: z.string().min(1).default('swarm').describe('"swarm" (the leader) or an agent id'),
});
export type SwarmMessageRequest = z.infer<typeof SwarmMessageRequest>;
export type SwarmMessageRequestInput = z.input<typeof SwarmMessageRequest>;

/** Graceful: running subtasks finish, no new ones start. Force: children are cancelled now. */
export const StopSwarmRequest = z.strictObject({
  mode: z.enum(['graceful', 'force']).default('graceful'),
  reason: z.string().min(1).optional(),
});
export type StopSwarmRequest = z.infer<typeof StopSwarmRequest>;
export type StopSwarmRequestInput = z.input<typeof StopSwarmRequest>;

/** Resumes a paused swarm, optionally with raised limits. */
export const ResumeSwarmRequest = z.strictObject({
  limits: SwarmLimits.pick({
    maxCredits: true,
    maxTokens: true,
    maxToolCalls: true,
    maxDurationMs: true,
    maxSubtasks: true,
  })
    .partial()
    .optional(),
});
export type ResumeSwarmRequest = z.infer<typeof ResumeSwarmRequest>;

export const SwarmSummary = z.object({
  swarmId: z.string(),
  parentSwarmId: z.string().nullable(),
  goal: z.string(),
  status: SwarmStatus,
  subtasksDone: z.number().int(),
  subtasksTotal: z.number().int(),
  usage: Usage,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type SwarmSummary = z.infer<typeof SwarmSummary>;

/** What a swarm carries over when it continues as new. */
export const SwarmCarry = z.object({
  status: SwarmStatus,
  statusReason: z.string().optional(),
  subtasks: z.array(Subtask),
  blackboard: Variables,
  transcript: z.array(TranscriptEntry),
  transcriptSeq: z.number().int().nonnegative(),
  children: z.array(SwarmChild),
  usage: Usage,
  team: z.array(Agent),
  planned: z.boolean(),
  startedAtMs: z.number(),
  callCount: z.number().int().nonnegative(),
  unread: z.array(TranscriptEntry).describe('messages the leader has not seen yet'),
});
export type SwarmCarry = z.infer<typeof SwarmCarry>;

/** The `swarmWorkflow`'s argument. */
export const SwarmWorkflowInput = z.object({
  swarmId: z.string(),
  tenantId: z.string(),
  goal: z.string(),
  team: z.array(Agent).optional(),
  requirements: TeamRequirements.optional(),
  limits: SwarmLimits,
  planner: PlannerChoice,
  input: Variables,
  awaitMessages: z.boolean(),
  toolPolicy: ToolPolicy.optional(),
  lineage: SwarmLineage,
  carry: SwarmCarry.optional(),
});
export type SwarmWorkflowInput = z.infer<typeof SwarmWorkflowInput>;

/** What the read model keeps of a swarm; written by the workflow at every change. */
export const SwarmRecord = SwarmState.pick({
  swarmId: true,
  tenantId: true,
  status: true,
  statusReason: true,
  goal: true,
  team: true,
  subtasks: true,
  usage: true,
  limits: true,
  lineage: true,
  result: true,
}).extend({ workflowId: z.string(), ended: z.boolean() });
export type SwarmRecord = z.infer<typeof SwarmRecord>;

/** Which swarms to list (`client.swarms.list`). */
export interface SwarmFilter {
  status?: SwarmStatus;
  /** A swarm's sub-swarms; null: top-level swarms only; absent: all. */
  parentSwarmId?: string | null;
  /** 100 when omitted. */
  limit?: number;
}

/** A page of a swarm's transcript (`client.swarms.transcript`). */
export interface TranscriptPage {
  /** Entries after this sequence number; from the first when omitted. */
  afterSeq?: number;
  /** 200 when omitted. */
  limit?: number;
}
