import { z } from 'zod';

/**
 * The compiled form of a routine: a JSON-serialisable graph that the navigator walks.
 * BPMN and sequence routines both compile to it. FEEL expressions are stored without
 * Zeebe's leading `=`; a static value from the model is stored as a FEEL literal.
 */

export const FeelExpression = z.string().min(1);

export const VariableMapping = z.object({
  source: FeelExpression.describe('FEEL expression evaluated in the source scope'),
  target: z.string().min(1).describe('variable name, or a dotted path into a context'),
});
export type VariableMapping = z.infer<typeof VariableMapping>;

const elementBase = {
  id: z.string().min(1),
  name: z.string().optional(),
  incoming: z.array(z.string()),
  outgoing: z.array(z.string()),
  inputs: z.array(VariableMapping).default([]),
  outputs: z.array(VariableMapping).default([]),
};

/** What a task does when a token reaches it; shared by BPMN tasks and sequence steps. */
export const ScriptWork = z.object({
  kind: z.literal('script'),
  expression: FeelExpression,
  resultVariable: z.string().min(1),
});
export const ServiceWork = z.object({
  kind: z.literal('service'),
  taskType: z.string().min(1).describe('resolved by the task-type registry'),
  headers: z.record(z.string(), z.string()).default({}),
  retries: z.number().int().min(0).optional(),
  timeoutMs: z.number().int().positive().optional(),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
});
export const StepWork = z.discriminatedUnion('kind', [ScriptWork, ServiceWork]);
export type StepWork = z.infer<typeof StepWork>;

export const StartEvent = z.object({ ...elementBase, kind: z.literal('startEvent') });
export const EndEvent = z.object({ ...elementBase, kind: z.literal('endEvent') });
export const PlainTask = z.object({ ...elementBase, kind: z.literal('task') });
export const WorkTask = z.object({
  ...elementBase,
  kind: z.literal('workTask'),
  bpmnType: z.enum(['scriptTask', 'serviceTask']).describe('the BPMN element type, for traces'),
  work: StepWork,
});
export const ExclusiveGateway = z.object({
  ...elementBase,
  kind: z.literal('exclusiveGateway'),
  defaultFlow: z.string().optional(),
});
export const ParallelGateway = z.object({ ...elementBase, kind: z.literal('parallelGateway') });

export const FlowElement = z.discriminatedUnion('kind', [
  StartEvent,
  EndEvent,
  PlainTask,
  WorkTask,
  ExclusiveGateway,
  ParallelGateway,
]);
export type FlowElement = z.infer<typeof FlowElement>;
export type ElementKind = FlowElement['kind'];

export const SequenceFlow = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  target: z.string().min(1),
  condition: FeelExpression.optional(),
});
export type SequenceFlow = z.infer<typeof SequenceFlow>;

/**
 * A block-structured parallel fork: every branch leaves the fork gateway and meets again
 * at `joinId` and nowhere else, so each branch can run as its own child workflow.
 */
export const BlockFork = z.object({
  joinId: z.string().min(1),
  branches: z.array(z.string().min(1)).describe('the fork gateway outgoing flow ids, in model order'),
});
export type BlockFork = z.infer<typeof BlockFork>;

export const ProcessGraph = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  startId: z.string().min(1),
  elements: z.record(z.string(), FlowElement),
  flows: z.record(z.string(), SequenceFlow),
  forks: z.record(z.string(), BlockFork).describe('block-structured forks, keyed by fork gateway id'),
});
export type ProcessGraph = z.infer<typeof ProcessGraph>;

export const CompiledRoutine = z.object({
  processes: z.record(z.string(), ProcessGraph),
  defaultProcessId: z.string().min(1),
});
export type CompiledRoutine = z.infer<typeof CompiledRoutine>;

/** The trace name of an element: its BPMN type. */
export function elementType(element: FlowElement): string {
  return element.kind === 'workTask' ? element.bpmnType : element.kind;
}
