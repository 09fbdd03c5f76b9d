import type { FlowNode, ZeebeScript, ZeebeTaskDefinition, ZeebeTaskHeaders } from 'bpmn-moddle';
import type { FlowElement, StepWork } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import type { ElementBase } from './elements.ts';
import { zeebeValue } from './expressions.ts';
import { findExtension } from './extensions.ts';
import { withMappings } from './mappings.ts';

/** An undefined task: it completes as soon as a token reaches it. */
export function compilePlainTask(node: FlowNode, base: ElementBase, report: Report): FlowElement {
  checkActivity(node, report);
  return { ...withMappings(node, base, report), kind: 'task' };
}

export function compileServiceTask(
  node: FlowNode,
  base: ElementBase,
  report: Report,
): FlowElement | undefined {
  checkActivity(node, report);
  const mapped = withMappings(node, base, report);
  const definition = findExtension<ZeebeTaskDefinition>(node, 'zeebe:TaskDefinition', report);
  const work = serviceWork(node, definition, report);
  return work && { ...mapped, kind: 'workTask', bpmnType: 'serviceTask', work };
}

/** A zeebe:script runs in the engine; with a zeebe:taskDefinition instead, a worker runs it (as in Zeebe). */
export function compileScriptTask(
  node: FlowNode,
  base: ElementBase,
  report: Report,
): FlowElement | undefined {
  checkActivity(node, report);
  const mapped = withMappings(node, base, report);
  const script = findExtension<ZeebeScript>(node, 'zeebe:Script', report);
  const definition = findExtension<ZeebeTaskDefinition>(node, 'zeebe:TaskDefinition', report);
  if (script && definition) {
    report('has both zeebe:script and zeebe:taskDefinition; keep one');
    return undefined;
  }
  if (!script && !definition) {
    report('needs a zeebe:script with an expression and a resultVariable');
    return undefined;
  }
  const work = script ? scriptWork(script, report) : serviceWork(node, definition, report);
  return work && { ...mapped, kind: 'workTask', bpmnType: 'scriptTask', work };
}

/** Activity features none of the supported tasks can honour yet. */
function checkActivity(node: FlowNode, report: Report): void {
  if (node.loopCharacteristics) {
    const multiInstance = node.loopCharacteristics.$type === 'bpmn:MultiInstanceLoopCharacteristics';
    report(`${multiInstance ? 'multi-instance' : 'loop'} tasks are not supported yet`);
  }
  if (node.isForCompensation) report('compensation tasks are not supported yet');
  if (node.default) report(`a default flow out of a task ("${node.default.id}") is not supported yet`);
}

function scriptWork(script: ZeebeScript, report: Report): StepWork | undefined {
  const expression = script.expression?.trim();
  const resultVariable = script.resultVariable?.trim();
  if (!expression) report('zeebe:script has no expression');
  if (!resultVariable) report('zeebe:script has no resultVariable');
  if (!expression || !resultVariable) return undefined;
  return {
    kind: 'script',
    expression: zeebeValue(expression, 'zeebe:script expression', report),
    resultVariable,
  };
}

function serviceWork(
  node: FlowNode,
  definition: ZeebeTaskDefinition | undefined,
  report: Report,
): StepWork | undefined {
  const taskType = definition?.type?.trim();
  if (!taskType) {
    report('needs a zeebe:taskDefinition with a type');
    return undefined;
  }
  if (taskType.startsWith('=')) {
    report(`task type "${taskType}" is an expression, which is not supported yet`);
    return undefined;
  }
  const retries = parseRetries(definition?.retries, report);
  return {
    kind: 'service',
    taskType,
    headers: taskHeaders(node, report),
    ...(retries === undefined ? {} : { retries }),
  };
}

function parseRetries(retries: string | undefined, report: Report): number | undefined {
  const text = retries?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  report(
    text.startsWith('=')
      ? `retries "${text}" is an expression, which is not supported yet`
      : `retries "${text}" is not a whole number`,
  );
  return undefined;
}

function taskHeaders(node: FlowNode, report: Report): Record<string, string> {
  const headers = new Map<string, string>();
  for (const header of findExtension<ZeebeTaskHeaders>(node, 'zeebe:TaskHeaders', report)?.values ?? []) {
    if (!header.key) report('has a zeebe:header without a key');
    else if (headers.has(header.key)) report(`task header "${header.key}" is defined twice`);
    else headers.set(header.key, header.value ?? '');
  }
  return Object.fromEntries(headers);
}
