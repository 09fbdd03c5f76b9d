import type {
  FlowNode,
  ZeebeAssignmentDefinition,
  ZeebeFormDefinition,
  ZeebePriorityDefinition,
  ZeebeTaskSchedule,
} from 'bpmn-moddle';
import type { FlowElement } from '../../schema/graph.ts';
import { parseDateTime } from '../../workflows/navigator/timers.ts';
import type { Report } from '../errors.ts';
import { checkedFeel } from '../feel.ts';
import { activityBase } from './activities.ts';
import type { ElementBase } from './elements.ts';
import { feelString } from './expressions.ts';
import { findExtension } from './extensions.ts';

/**
 * A user task: the run waits until a person completes it. Assignment, schedule, form and
 * priority are FEEL: an `=` expression as it is, a static value as a FEEL literal (a static
 * candidate list "a, b" becomes ["a", "b"]; a static date must be an ISO 8601 date-time).
 */
export function compileUserTask(node: FlowNode, base: ElementBase, report: Report): FlowElement {
  const activity = activityBase(node, base, report);
  const assignment = findExtension<ZeebeAssignmentDefinition>(node, 'zeebe:AssignmentDefinition', report);
  const schedule = findExtension<ZeebeTaskSchedule>(node, 'zeebe:TaskSchedule', report);
  const form = findExtension<ZeebeFormDefinition>(node, 'zeebe:FormDefinition', report);
  const priority = findExtension<ZeebePriorityDefinition>(node, 'zeebe:PriorityDefinition', report)?.priority;
  if (form?.externalReference) report('a zeebe:formDefinition externalReference is not supported yet');
  const fields = {
    assignee: feel(assignment?.assignee, 'assignee', report, feelString),
    candidateGroups: feel(assignment?.candidateGroups, 'candidateGroups', report, feelList),
    candidateUsers: feel(assignment?.candidateUsers, 'candidateUsers', report, feelList),
    dueDate: feel(schedule?.dueDate, 'dueDate', report, dateLiteral),
    followUpDate: feel(schedule?.followUpDate, 'followUpDate', report, dateLiteral),
    formKey: form?.formKey?.trim() || undefined,
    formId: form?.formId?.trim() || undefined,
    priority: feel(priority, 'priority', report, priorityLiteral),
  };
  return {
    ...activity,
    kind: 'userTask',
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  };
}

/** An attribute as FEEL: `=` starts an expression, anything else is a static value `literal` turns into FEEL. */
function feel(
  value: string | undefined,
  what: string,
  report: Report,
  literal: (text: string) => string,
): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (text.startsWith('=')) return checkedFeel(text.slice(1).trim(), what, report);
  try {
    return literal(text);
  } catch (error) {
    report(`${what}: ${(error as Error).message}`);
    return undefined;
  }
}

function feelList(text: string): string {
  const items = text.split(',').flatMap((item) => item.trim() || []);
  return `[${items.map(feelString).join(', ')}]`;
}

function dateLiteral(text: string): string {
  parseDateTime(text);
  return feelString(text);
}

function priorityLiteral(text: string): string {
  if (!/^\d+$/.test(text) || Number(text) > 100) {
    throw new Error(`"${text}" is not a whole number from 0 to 100`);
  }
  return String(Number(text));
}
