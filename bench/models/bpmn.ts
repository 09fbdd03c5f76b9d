import { incrementHeaders, STEP_TASK_TYPE } from './step.ts';

/**
 * The bench's BPMN models. Service tasks carry both a `zeebe:taskDefinition` (Swarmflow) and an
 * `implementation` expression (bpmn-engine), so that both engines run the very same model.
 */

/** start → s1 → … → sN → end; each task adds one to `counter`. */
export function linearBpmn(processId: string, steps: number): string {
  const tasks = Array.from({ length: steps }, (_, index) => `s${index + 1}`);
  const chain = ['start', ...tasks, 'end'];
  return definitions(
    processId,
    [
      '<bpmn:startEvent id="start" />',
      ...tasks.map((id) => serviceTask(id, 'counter')),
      '<bpmn:endEvent id="end" />',
      ...chain.slice(1).map((target, index) => flow(chain[index] ?? 'start', target)),
    ].join('\n'),
  );
}

/**
 * start → fork → `branches` branches of `steps` tasks → join → end; branch j adds to `cJ`. The fork
 * is block-structured; its gateway's `swarmflow.forkBranches` says where Swarmflow runs the branches.
 */
export function forkBpmn(
  processId: string,
  branches: number,
  steps: number,
  forkBranches: 'run' | 'childWorkflows',
): string {
  const property = `<zeebe:property name="swarmflow.forkBranches" value="${forkBranches}" />`;
  const fork = `<bpmn:parallelGateway id="fork"><bpmn:extensionElements><zeebe:properties>${property}</zeebe:properties></bpmn:extensionElements></bpmn:parallelGateway>`;
  const elements = ['<bpmn:startEvent id="start" />', fork];
  const flows = [flow('start', 'fork')];
  for (let branch = 1; branch <= branches; branch += 1) {
    const tasks = Array.from({ length: steps }, (_, index) => `b${branch}_s${index + 1}`);
    elements.push(...tasks.map((id) => serviceTask(id, branchVariable(branch))));
    const chain = ['fork', ...tasks, 'join'];
    flows.push(...chain.slice(1).map((target, index) => flow(chain[index] ?? 'fork', target)));
  }
  elements.push('<bpmn:parallelGateway id="join" />', '<bpmn:endEvent id="end" />');
  flows.push(flow('join', 'end'));
  return definitions(processId, [...elements, ...flows].join('\n'));
}

export const USER_TASK_ID = 'approve';

/** start → user task `approve` → end: each run waits for a person to complete its task. */
export function userTaskBpmn(processId: string): string {
  return definitions(
    processId,
    [
      '<bpmn:startEvent id="start" />',
      `<bpmn:userTask id="${USER_TASK_ID}" />`,
      '<bpmn:endEvent id="end" />',
      flow('start', USER_TASK_ID),
      flow(USER_TASK_ID, 'end'),
    ].join('\n'),
  );
}

/** start → message catch event → end: each run waits for message `name` with its own `key` variable. */
export function messageCatchBpmn(processId: string, name: string): string {
  const message = [
    `<bpmn:message id="release_message" name="${name}">`,
    '<bpmn:extensionElements><zeebe:subscription correlationKey="=key" /></bpmn:extensionElements>',
    '</bpmn:message>',
  ].join('');
  return definitions(
    processId,
    [
      '<bpmn:startEvent id="start" />',
      '<bpmn:intermediateCatchEvent id="wait">',
      '<bpmn:messageEventDefinition messageRef="release_message" />',
      '</bpmn:intermediateCatchEvent>',
      '<bpmn:endEvent id="end" />',
      flow('start', 'wait'),
      flow('wait', 'end'),
    ].join('\n'),
    message,
  );
}

/** The variable branch `branch` (from 1) of a fork counts in. */
export function branchVariable(branch: number): string {
  return `c${branch}`;
}

function serviceTask(id: string, variable: string): string {
  const headers = Object.entries(incrementHeaders(variable))
    .map(([key, value]) => `<zeebe:header key="${key}" value="${value}" />`)
    .join('');
  return [
    `<bpmn:serviceTask id="${id}" implementation="\${environment.services.step}">`,
    `<bpmn:extensionElements><zeebe:taskDefinition type="${STEP_TASK_TYPE}" />`,
    `<zeebe:taskHeaders>${headers}</zeebe:taskHeaders></bpmn:extensionElements>`,
    '</bpmn:serviceTask>',
  ].join('');
}

function flow(source: string, target: string): string {
  return `<bpmn:sequenceFlow id="${source}_to_${target}" sourceRef="${source}" targetRef="${target}" />`;
}

function definitions(processId: string, content: string, rootElements = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="bench_definitions" targetNamespace="https://swarmflow.dev/bench">
  ${rootElements}
  <bpmn:process id="${processId}" isExecutable="true">
${content}
  </bpmn:process>
</bpmn:definitions>`;
}
