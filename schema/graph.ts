import { z } from 'zod';
import { StrategyChoice } from './strategy.ts';
import { ToolPolicy } from './tools.ts';

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
  routine: z
    .object({ toolPolicy: ToolPolicy.optional() })
    .optional()
    .describe("an MCP task's routine tool policy, set at registration"),
});
export type ServiceWork = z.infer<typeof ServiceWork>;

/** The task type prefix of a service task bound to an MCP tool: `mcp:<server>/<tool>`. */
export const MCP_TASK_PREFIX = 'mcp:';

/** Whether a task's work is a tool call: a service task of type `mcp:<server>/<tool>`. */
export function isMcpWork(work: StepWork): work is ServiceWork {
  return work.kind === 'service' && work.taskType.startsWith(MCP_TASK_PREFIX);
}
/**
 * An LLM step: a prompt template (`{{ FEEL }}` placeholders over the step's variables) answered
 * by a configured model, conversationally or reasoning with MCP tools, each turn and tool call
 * an activity of its own (see workflows/runtime/llm-step.ts).
 */
export const LlmWork = z.object({
  kind: z.literal('llm'),
  strategy: StrategyChoice.default('auto'),
  prompt: z.string().min(1),
  system: z.string().min(1).optional().describe('a system prompt template'),
  model: z.string().min(1).optional().describe('a configured model name; absent: the default model'),
  tools: z.array(z.string().min(1)).default([]).describe('globs over "<server>/<tool>" the model may call'),
  outputSchema: z.record(z.string(), z.unknown()).optional().describe('the JSON Schema of the answer'),
  resultVariable: z.string().min(1).default('answer'),
  maxTurns: z.number().int().positive().default(8),
  maxToolCalls: z.number().int().min(0).optional().describe('tool calls of this step; absent: no step limit'),
  maxOutputRetries: z
    .number()
    .int()
    .min(0)
    .default(2)
    .describe('answers sent back for not matching the schema'),
  sensitive: z.boolean().default(false).describe('its data may never be sent to an LLM'),
  requireApprovalFor: z.array(z.string().min(1)).default([]).describe('tool globs whose calls need approval'),
  failOnRejection: z
    .boolean()
    .default(false)
    .describe('a refused call fails the step instead of telling the model'),
  retries: z.number().int().min(0).optional().describe('retries of each turn and tool call'),
  timeoutMs: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('time one attempt of a turn or tool call may take'),
  routine: z
    .object({ strategy: StrategyChoice.optional(), toolPolicy: ToolPolicy.optional() })
    .optional()
    .describe("the routine's default strategy and tool policy, set at registration"),
});
export type LlmWork = z.infer<typeof LlmWork>;
export const StepWork = z.discriminatedUnion('kind', [ScriptWork, ServiceWork, LlmWork]);
export type StepWork = z.infer<typeof StepWork>;

/** How a timer is given: a duration (PT5M), a date (ISO 8601 date-time) or a cycle (R3/PT10S). */
export const TimerDefinition = z.object({
  kind: z.literal('timer'),
  type: z.enum(['duration', 'date', 'cycle']),
  expression: FeelExpression.describe(
    'FEEL; evaluates to an ISO 8601 duration, date-time or repeating interval',
  ),
});
export const MessageDefinition = z.object({
  kind: z.literal('message'),
  name: FeelExpression.describe('FEEL for the message name (a static name is a FEEL string literal)'),
  correlationKey: FeelExpression.optional().describe('FEEL; absent on message start events'),
});
export const SignalDefinition = z.object({ kind: z.literal('signal'), name: FeelExpression });
export const ErrorDefinition = z.object({
  kind: z.literal('error'),
  code: z.string().optional().describe('on a catch event, absent catches every error'),
});
export const EscalationDefinition = z.object({
  kind: z.literal('escalation'),
  code: z.string().optional().describe('on a catch event, absent catches every escalation'),
});
export const LinkDefinition = z.object({ kind: z.literal('link'), name: z.string().min(1) });
export const TerminateDefinition = z.object({ kind: z.literal('terminate') });

export const EventDefinition = z.discriminatedUnion('kind', [
  TimerDefinition,
  MessageDefinition,
  SignalDefinition,
  ErrorDefinition,
  EscalationDefinition,
  LinkDefinition,
  TerminateDefinition,
]);
export type EventDefinition = z.infer<typeof EventDefinition>;
export type TimerDefinition = z.infer<typeof TimerDefinition>;
export type MessageDefinition = z.infer<typeof MessageDefinition>;

/** Multi-instance characteristics (`zeebe:loopCharacteristics`) on a task, sub-process or call activity. */
export const MultiInstance = z.object({
  sequential: z.boolean(),
  inputCollection: FeelExpression,
  inputElement: z.string().optional(),
  outputCollection: z.string().optional(),
  outputElement: FeelExpression.optional(),
  completionCondition: FeelExpression.optional(),
});
export type MultiInstance = z.infer<typeof MultiInstance>;

/**
 * Everything an element has. `scope` is the id of the process or sub-process it lives in;
 * flows connect elements of the same scope only.
 */
const elementBase = {
  id: z.string().min(1),
  name: z.string().optional(),
  scope: z.string().min(1),
  incoming: z.array(z.string()),
  outgoing: z.array(z.string()),
  inputs: z.array(VariableMapping).default([]),
  outputs: z.array(VariableMapping).default([]),
};

/** Activities (tasks, sub-processes, call activities) may carry boundary events and multi-instance. */
const activityBase = {
  ...elementBase,
  boundaryEvents: z.array(z.string()).default([]).describe('ids of the boundary events attached here'),
  multiInstance: MultiInstance.optional(),
};

export const StartEvent = z.object({
  ...elementBase,
  kind: z.literal('startEvent'),
  trigger: EventDefinition.optional().describe('absent: a none start event'),
  interrupting: z.boolean().default(true).describe('for event sub-process start events'),
});
export const EndEvent = z.object({
  ...elementBase,
  kind: z.literal('endEvent'),
  result: EventDefinition.optional().describe('absent: a none end event'),
  work: StepWork.optional().describe('a message end event with a job worker (zeebe:taskDefinition)'),
});
export const IntermediateCatchEvent = z.object({
  ...elementBase,
  kind: z.literal('intermediateCatchEvent'),
  trigger: EventDefinition,
});
export const IntermediateThrowEvent = z.object({
  ...elementBase,
  kind: z.literal('intermediateThrowEvent'),
  result: EventDefinition.optional().describe('absent: a none intermediate event (passes through)'),
  work: StepWork.optional().describe('a message throw event with a job worker (zeebe:taskDefinition)'),
});
export const BoundaryEvent = z.object({
  ...elementBase,
  kind: z.literal('boundaryEvent'),
  attachedTo: z.string().min(1),
  trigger: EventDefinition,
  interrupting: z.boolean(),
});
export const PlainTask = z.object({
  ...activityBase,
  kind: z.literal('task'),
  bpmnType: z.enum(['task', 'manualTask']).default('task'),
});
export const WorkTask = z.object({
  ...activityBase,
  kind: z.literal('workTask'),
  bpmnType: z
    .enum(['scriptTask', 'serviceTask', 'sendTask', 'businessRuleTask'])
    .describe('the BPMN element type, for traces'),
  work: StepWork,
});
export const UserTask = z.object({
  ...activityBase,
  kind: z.literal('userTask'),
  assignee: FeelExpression.optional(),
  candidateGroups: FeelExpression.optional().describe('FEEL; a list of strings'),
  candidateUsers: FeelExpression.optional().describe('FEEL; a list of strings'),
  dueDate: FeelExpression.optional().describe('FEEL; an ISO 8601 date-time'),
  followUpDate: FeelExpression.optional().describe('FEEL; an ISO 8601 date-time'),
  formKey: z.string().optional(),
  formId: z.string().optional().describe('the id of a linked Camunda form'),
  priority: FeelExpression.optional().describe('FEEL; a number from 0 to 100'),
});
export const ReceiveTask = z.object({
  ...activityBase,
  kind: z.literal('receiveTask'),
  message: MessageDefinition,
});
export const SubProcess = z.object({
  ...activityBase,
  kind: z.literal('subProcess'),
  startId: z.string().min(1).describe('its none start event'),
  eventSubProcesses: z.array(z.string()).default([]),
});
export const EventSubProcess = z.object({
  ...elementBase,
  kind: z.literal('eventSubProcess'),
  startId: z.string().min(1).describe('its start event, whose trigger and interrupting flag apply'),
});
export const CallActivity = z.object({
  ...activityBase,
  kind: z.literal('callActivity'),
  processId: FeelExpression.describe(
    'FEEL for the called process id (a process of this file, else a routine id)',
  ),
  propagateAllChildVariables: z.boolean().default(true),
  propagateAllParentVariables: z.boolean().default(true),
});
export const ExclusiveGateway = z.object({
  ...elementBase,
  kind: z.literal('exclusiveGateway'),
  defaultFlow: z.string().optional(),
});
export const InclusiveGateway = z.object({
  ...elementBase,
  kind: z.literal('inclusiveGateway'),
  defaultFlow: z.string().optional(),
});
/** Where a block-structured fork runs its branches; without it, by the fork's size (workflows/runtime/forks.ts). */
export const ForkBranches = z.enum(['run', 'childWorkflows']);
export type ForkBranches = z.infer<typeof ForkBranches>;

export const ParallelGateway = z.object({
  ...elementBase,
  kind: z.literal('parallelGateway'),
  forkBranches: ForkBranches.optional().describe('set by the zeebe:property swarmflow.forkBranches'),
});
export const EventBasedGateway = z.object({ ...elementBase, kind: z.literal('eventBasedGateway') });

export const FlowElement = z.discriminatedUnion('kind', [
  StartEvent,
  EndEvent,
  IntermediateCatchEvent,
  IntermediateThrowEvent,
  BoundaryEvent,
  PlainTask,
  WorkTask,
  UserTask,
  ReceiveTask,
  SubProcess,
  EventSubProcess,
  CallActivity,
  ExclusiveGateway,
  InclusiveGateway,
  ParallelGateway,
  EventBasedGateway,
]);
export type FlowElement = z.infer<typeof FlowElement>;
/** An element as builders write it: fields with defaults may be left out. */
export type FlowElementInput = z.input<typeof FlowElement>;
export type ElementKind = FlowElement['kind'];
export type ElementOfKind<K extends ElementKind> = Extract<FlowElement, { kind: K }>;

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
  startId: z.string().min(1).describe('the none start event of the process scope'),
  eventSubProcesses: z.array(z.string()).default([]).describe('event sub-processes of the process scope'),
  elements: z.record(z.string(), FlowElement).describe('every element of every scope, by id'),
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
  if (element.kind === 'workTask' || element.kind === 'task') return element.bpmnType;
  return element.kind;
}
