import { z } from 'zod';
import { PendingApproval } from './approvals.ts';
import { LimitReached } from './budget.ts';
import { EvalToolPolicy } from './evaluation.ts';
import { ProcessGraph } from './graph.ts';
import { Variables } from './json.ts';
import { RunLimits } from './limits.ts';
import { LlmStepRecord } from './llm-step.ts';
import { Parking } from './outcome-error.ts';
import { RoutineId } from './routine.ts';
import { Usage } from './usage.ts';

export const RunId = z
  .string()
  .regex(/^[\w.:-]{1,160}$/, 'run ids use letters, digits, "_", ".", ":" or "-"');

export const RunStatus = z.enum([
  'running',
  'incident',
  'paused',
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timed_out',
]);
export type RunStatus = z.infer<typeof RunStatus>;

export const ElementStatus = z.enum(['completed', 'terminated', 'failed']);

/** One element instance, recorded when it ends. */
export const TraceEntry = z.object({
  elementId: z.string(),
  type: z.string().describe('the BPMN element type, e.g. "serviceTask"'),
  status: ElementStatus,
});
export type TraceEntry = z.infer<typeof TraceEntry>;

/** What a caller gives to start a run (SDK, CLI, MCP). */
export const StartRunRequest = z.object({
  routineId: RoutineId,
  version: z.number().int().positive().optional().describe('defaults to the active version'),
  processId: z.string().min(1).optional().describe('BPMN process id; defaults to the routine main process'),
  input: Variables.default({}),
  runId: RunId.optional().describe('defaults to a generated id'),
  tenantId: z.string().min(1).optional(),
});
export type StartRunRequest = z.input<typeof StartRunRequest>;

export const RoutineRef = z.object({
  tenantId: z.string(),
  id: RoutineId,
  version: z.number().int().positive(),
  hash: z.string(),
});
export type RoutineRef = z.infer<typeof RoutineRef>;

/** What a run carries over when it continues as new: the one token's place and the run's counters. */
export const RunResume = z.object({
  elementId: z.string(),
  viaFlow: z.string().optional(),
  trace: z.array(TraceEntry),
  stepsExecuted: z.number().int().min(0),
  instances: z.record(z.string(), z.number().int()),
  usage: Usage.optional().describe('what the run used so far'),
});
export type RunResume = z.infer<typeof RunResume>;

/**
 * A run of an eval case: its tool calls (LLM tool calls, `mcp:` and `http` tasks) follow the eval
 * tool policy, replayed from `sourceRunId` (the recorded run the case came from) under `replay`.
 */
export const EvalToolContext = z.object({
  policy: EvalToolPolicy,
  sourceRunId: z.string().min(1).optional(),
});
export type EvalToolContext = z.infer<typeof EvalToolContext>;

/** The input of runWorkflow: everything it needs, so its history is self-contained. */
export const RunWorkflowInput = z.object({
  runId: z
    .string()
    .optional()
    .describe('default: the workflow id without "run/" (schedules start runs without one)'),
  routine: RoutineRef,
  graph: ProcessGraph,
  variables: Variables,
  limits: RunLimits,
  calledBy: z.string().optional().describe('workflow id of the run whose call activity started this one'),
  startId: z
    .string()
    .optional()
    .describe('the start event to begin at (a message or timer start); default the none start'),
  resume: RunResume.optional().describe('where a run that continued as new goes on'),
  evalId: z
    .string()
    .optional()
    .describe('set on the runs of an eval: they are scored by the eval, never sampled for live scoring'),
  evalTools: EvalToolContext.optional().describe('set on the runs of an eval: what its tool calls do'),
});
export type RunWorkflowInput = z.infer<typeof RunWorkflowInput>;

export const RunOutcome = z.object({
  runId: RunId,
  status: RunStatus,
  outputs: Variables,
  trace: z.array(TraceEntry),
  error: z.string().optional(),
  usage: Usage.optional().describe('tokens, tool calls, wall time and credits the run used'),
  parkedOn: Parking.optional().describe('set when a wait ended because the run waits for a person'),
});
export type RunOutcome = z.infer<typeof RunOutcome>;

/** Live state of a run, answered by the `state` query. */
export const RunState = RunOutcome.extend({
  activeElements: z.array(z.string()).describe('elements a token is in now'),
  stepsExecuted: z.number().int(),
  incident: z.object({ elementId: z.string(), message: z.string() }).optional(),
  usage: Usage,
  llmSteps: z.array(LlmStepRecord).describe('LLM steps: strategy and why, turns, tool calls, usage'),
  pendingApprovals: z.array(PendingApproval).describe('tool calls waiting for a person'),
  pausedOn: LimitReached.optional().describe('the budget a paused run waits to have raised'),
});
export type RunState = z.infer<typeof RunState>;

/** A row of the runs read model, as listed by the SDK and CLI. */
export const RunSummary = z.object({
  runId: RunId,
  tenantId: z.string(),
  routineId: RoutineId,
  routineVersion: z.number().int(),
  status: RunStatus,
  startedAt: z.date(),
  endedAt: z.date().nullable(),
  error: z.string().nullable(),
  score: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("the mean of the run's latest live scores; absent until it is scored"),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** A row of the runs read model with its input and, once it ended, outputs and trace. */
export const RunRecord = RunSummary.extend({
  processId: z.string(),
  workflowId: z.string(),
  input: Variables,
  outputs: Variables.nullable(),
  trace: z.array(TraceEntry).nullable(),
  usage: Usage.nullable(),
  updatedAt: z.date(),
});
export type RunRecord = z.infer<typeof RunRecord>;

/** A step of a run as the read model records it, once per (run, step key). */
export const RunStepRecord = z.object({
  runId: RunId,
  stepKey: z.string(),
  tenantId: z.string(),
  elementId: z.string(),
  elementType: z.string(),
  status: ElementStatus,
  attempt: z.number().int().positive(),
  startedAt: z.date(),
  endedAt: z.date(),
  durationMs: z.number().int().min(0),
  output: Variables.nullable(),
  error: z.string().nullable(),
  usage: Usage.optional().describe('what the step used, metered; absent for steps recorded before metering'),
  llm: LlmStepRecord.pick({
    strategy: true,
    reason: true,
    model: true,
    structuredOutput: true,
    inputHash: true,
    turns: true,
    toolCalls: true,
  })
    .optional()
    .describe('an LLM step: which strategy ran and why, its model, turns and tool calls'),
});
export type RunStepRecord = z.infer<typeof RunStepRecord>;
