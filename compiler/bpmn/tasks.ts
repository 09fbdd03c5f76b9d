import type { FlowNode, ZeebeCalledDecision, ZeebeScript } from 'bpmn-moddle';
import type { FlowElement, StepWork } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import { activityBase } from './activities.ts';
import type { ElementBase } from './elements.ts';
import { zeebeValue } from './expressions.ts';
import { findExtension } from './extensions.ts';
import { hasJobDefinition, jobWork } from './jobs.ts';
import { llmOrJobWork } from './llm-tasks.ts';
import { compileMessage } from './messages.ts';

/** An undefined or manual task: it completes as soon as a token reaches it. */
export function compilePlainTask(node: FlowNode, base: ElementBase, report: Report): FlowElement {
  const bpmnType = node.$type === 'bpmn:ManualTask' ? 'manualTask' : 'task';
  return { ...activityBase(node, base, report), kind: 'task', bpmnType };
}

/** A service or send task: a job of its zeebe:taskDefinition type (type "llm": an LLM step). */
export function compileServiceTask(
  node: FlowNode,
  base: ElementBase,
  report: Report,
): FlowElement | undefined {
  const activity = activityBase(node, base, report);
  const job = jobWork(node, report);
  const work = job && llmOrJobWork(job, report);
  const bpmnType = node.$type === 'bpmn:SendTask' ? 'sendTask' : 'serviceTask';
  return work && { ...activity, kind: 'workTask', bpmnType, work };
}

/**
 * A business rule task runs as a job. One that calls a DMN decision runs the task type
 * `decision:<decisionId>` (a decision engine registered on the worker), whose result variables
 * are set as the task's result; `resultVariable` reaches it as a header.
 */
export function compileBusinessRuleTask(
  node: FlowNode,
  base: ElementBase,
  report: Report,
): FlowElement | undefined {
  const activity = activityBase(node, base, report);
  const decision = findExtension<ZeebeCalledDecision>(node, 'zeebe:CalledDecision', report);
  const work = decision ? decisionWork(decision, report) : jobWork(node, report);
  return work && { ...activity, kind: 'workTask', bpmnType: 'businessRuleTask', work };
}

function decisionWork(decision: ZeebeCalledDecision, report: Report): StepWork | undefined {
  const decisionId = decision.decisionId?.trim();
  const resultVariable = decision.resultVariable?.trim();
  if (!decisionId || decisionId.startsWith('=') || !resultVariable) {
    report('zeebe:calledDecision needs a static decisionId and a resultVariable');
    return undefined;
  }
  return { kind: 'service', taskType: `decision:${decisionId}`, headers: { resultVariable } };
}

/** A zeebe:script runs in the engine; with a zeebe:taskDefinition instead, a worker runs it (as in Zeebe). */
export function compileScriptTask(
  node: FlowNode,
  base: ElementBase,
  report: Report,
): FlowElement | undefined {
  const activity = activityBase(node, base, report);
  const script = findExtension<ZeebeScript>(node, 'zeebe:Script', report);
  if (script && hasJobDefinition(node)) {
    report('has both zeebe:script and zeebe:taskDefinition; keep one');
    return undefined;
  }
  if (!script && !hasJobDefinition(node)) {
    report('needs a zeebe:script with an expression and a resultVariable');
    return undefined;
  }
  const work = script ? scriptWork(script, report) : jobWork(node, report);
  return work && { ...activity, kind: 'workTask', bpmnType: 'scriptTask', work };
}

/** A receive task waits for its message, correlated by the message's subscription key. */
export function compileReceiveTask(
  node: FlowNode,
  base: ElementBase,
  report: Report,
): FlowElement | undefined {
  const activity = activityBase(node, base, report);
  if (node.instantiate) report('a receive task that starts the process (instantiate) is not supported');
  const message = compileMessage(node.messageRef, true, report);
  return message && { ...activity, kind: 'receiveTask', message };
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
