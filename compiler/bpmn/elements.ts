import type { FlowNode } from 'bpmn-moddle';
import type { FlowElement, VariableMapping } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import { compileEndEvent, compileStartEvent } from './events.ts';
import { compileExclusiveGateway, compileParallelGateway } from './gateways.ts';
import { compilePlainTask, compileScriptTask, compileServiceTask } from './tasks.ts';

/** What every compiled element has, filled in before its type's compile function runs. */
export interface ElementBase {
  id: string;
  name?: string;
  incoming: string[];
  outgoing: string[];
  inputs: VariableMapping[];
  outputs: VariableMapping[];
}

export interface ElementRule {
  /** the zeebe extension elements this type honours; any other one on it is rejected */
  readonly extensions: readonly string[];
  /** reports what is wrong with `node`; returns undefined when it cannot be compiled */
  readonly compile: (node: FlowNode, base: ElementBase, report: Report) => FlowElement | undefined;
}

const TASK_WORK = ['zeebe:IoMapping', 'zeebe:TaskDefinition', 'zeebe:TaskHeaders'];

/** The supported flow node types. Supporting another type is adding its rule here. */
export const ELEMENT_RULES: Readonly<Record<string, ElementRule>> = {
  'bpmn:StartEvent': { extensions: [], compile: compileStartEvent },
  'bpmn:EndEvent': { extensions: [], compile: compileEndEvent },
  'bpmn:Task': { extensions: ['zeebe:IoMapping'], compile: compilePlainTask },
  'bpmn:ServiceTask': { extensions: TASK_WORK, compile: compileServiceTask },
  'bpmn:ScriptTask': { extensions: [...TASK_WORK, 'zeebe:Script'], compile: compileScriptTask },
  'bpmn:ExclusiveGateway': { extensions: [], compile: compileExclusiveGateway },
  'bpmn:ParallelGateway': { extensions: [], compile: compileParallelGateway },
};

/** Flow elements without run-time meaning here: data lives in process variables. */
export const IGNORED_ELEMENTS: ReadonlySet<string> = new Set([
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);
