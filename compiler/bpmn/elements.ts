import type { FlowNode } from 'bpmn-moddle';
import type { FlowElement, VariableMapping } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import { compileBoundaryEvent } from './boundary.ts';
import { compileCallActivity } from './call-activities.ts';
import {
  compileEndEvent,
  compileIntermediateCatchEvent,
  compileIntermediateThrowEvent,
  compileStartEvent,
} from './events.ts';
import {
  compileEventBasedGateway,
  compileExclusiveGateway,
  compileInclusiveGateway,
  compileParallelGateway,
} from './gateways.ts';
import type { MappingKinds } from './mappings.ts';
import { compileSubProcess } from './sub-processes.ts';
import {
  compileBusinessRuleTask,
  compilePlainTask,
  compileReceiveTask,
  compileScriptTask,
  compileServiceTask,
} from './tasks.ts';
import { compileUserTask } from './user-tasks.ts';

/** What every compiled element has, filled in before its type's compile function runs. */
export interface ElementBase {
  id: string;
  name?: string;
  scope: string;
  incoming: string[];
  outgoing: string[];
  inputs: VariableMapping[];
  outputs: VariableMapping[];
}

/** The kind of scope a flow node sits in, which decides the start events it may have. */
export type ScopeKind = 'process' | 'subProcess' | 'eventSubProcess';

/** What a sub-process's content compiled to: where its tokens start. */
export interface ScopeEntry {
  startId: string;
  eventSubProcesses: string[];
}

export interface ElementContext {
  scopeKind: ScopeKind;
  /** for a sub-process, its own content, compiled first; undefined when that content has problems */
  inner?: ScopeEntry;
  /** ids the parser already reported a reference problem for */
  flagged: ReadonlySet<string>;
}

export interface ElementRule {
  /** the zeebe extension elements this type honours besides zeebe:ioMapping; any other one is rejected */
  readonly extensions: readonly string[];
  /** which zeebe:ioMapping parts it takes, as Zeebe allows them */
  readonly mappings: MappingKinds;
  /** reports what is wrong with `node`; returns undefined when it cannot be compiled */
  readonly compile: (
    node: FlowNode,
    base: ElementBase,
    report: Report,
    context: ElementContext,
  ) => FlowElement | undefined;
}

const JOB = ['zeebe:TaskDefinition', 'zeebe:TaskHeaders'];
const USER_TASK = [
  'zeebe:UserTask',
  'zeebe:AssignmentDefinition',
  'zeebe:TaskSchedule',
  'zeebe:FormDefinition',
  'zeebe:PriorityDefinition',
];

/** The supported flow node types. Supporting another type is adding its rule here. */
export const ELEMENT_RULES: Readonly<Record<string, ElementRule>> = {
  'bpmn:StartEvent': { extensions: [], mappings: 'outputs', compile: compileStartEvent },
  'bpmn:EndEvent': { extensions: JOB, mappings: 'both', compile: compileEndEvent },
  'bpmn:IntermediateCatchEvent': {
    extensions: [],
    mappings: 'outputs',
    compile: compileIntermediateCatchEvent,
  },
  'bpmn:IntermediateThrowEvent': {
    extensions: JOB,
    mappings: 'both',
    compile: compileIntermediateThrowEvent,
  },
  'bpmn:BoundaryEvent': { extensions: [], mappings: 'outputs', compile: compileBoundaryEvent },
  'bpmn:Task': { extensions: [], mappings: 'both', compile: compilePlainTask },
  'bpmn:ManualTask': { extensions: [], mappings: 'both', compile: compilePlainTask },
  'bpmn:ServiceTask': { extensions: JOB, mappings: 'both', compile: compileServiceTask },
  'bpmn:SendTask': { extensions: JOB, mappings: 'both', compile: compileServiceTask },
  'bpmn:BusinessRuleTask': {
    extensions: [...JOB, 'zeebe:CalledDecision'],
    mappings: 'both',
    compile: compileBusinessRuleTask,
  },
  'bpmn:ScriptTask': { extensions: [...JOB, 'zeebe:Script'], mappings: 'both', compile: compileScriptTask },
  'bpmn:UserTask': { extensions: USER_TASK, mappings: 'both', compile: compileUserTask },
  'bpmn:ReceiveTask': { extensions: [], mappings: 'outputs', compile: compileReceiveTask },
  'bpmn:SubProcess': { extensions: [], mappings: 'both', compile: compileSubProcess },
  'bpmn:CallActivity': {
    extensions: ['zeebe:CalledElement'],
    mappings: 'both',
    compile: compileCallActivity,
  },
  'bpmn:ExclusiveGateway': { extensions: [], mappings: 'none', compile: compileExclusiveGateway },
  'bpmn:InclusiveGateway': { extensions: [], mappings: 'none', compile: compileInclusiveGateway },
  'bpmn:ParallelGateway': { extensions: [], mappings: 'none', compile: compileParallelGateway },
  'bpmn:EventBasedGateway': { extensions: [], mappings: 'none', compile: compileEventBasedGateway },
};

/** Flow node types rejected on purpose, with why; any other type without a rule is simply unsupported. */
export const REJECTED_ELEMENTS: Readonly<Record<string, string>> = {
  'bpmn:ComplexGateway': 'complex gateways are not supported',
  'bpmn:AdHocSubProcess': 'ad-hoc sub-processes are not supported',
  'bpmn:Transaction': 'transactions are not supported',
};

/** Flow elements without run-time meaning here: data lives in process variables. */
export const IGNORED_ELEMENTS: ReadonlySet<string> = new Set([
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);
