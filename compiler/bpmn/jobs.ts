import type { FlowNode, ZeebeTaskDefinition, ZeebeTaskHeaders } from 'bpmn-moddle';
import type { StepWork } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import { findExtension } from './extensions.ts';

/** Whether a zeebe:taskDefinition makes the node a job for a worker. */
export function hasJobDefinition(node: FlowNode): boolean {
  return (node.extensionElements?.values ?? []).some((value) => value.$type === 'zeebe:TaskDefinition');
}

/** The work of a job: its zeebe:taskDefinition type, resolved by the task-type registry, and headers. */
export function jobWork(node: FlowNode, report: Report): StepWork | undefined {
  const definition = findExtension<ZeebeTaskDefinition>(node, 'zeebe:TaskDefinition', report);
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
