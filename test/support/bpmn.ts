/** Wraps process content in BPMN definitions with the Zeebe namespace, for compact test models. */
export function bpmnProcess(content: string, processId = 'test_process'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  id="definitions" targetNamespace="https://swarmflow.dev/test">
  <bpmn:process id="${processId}" isExecutable="true">
${content}
  </bpmn:process>
</bpmn:definitions>`;
}

/** Sequence flows `a->b` for each pair, with an optional FEEL condition (`=` is added). */
export function flows(...pairs: [source: string, target: string, condition?: string][]): string {
  return pairs
    .map(([source, target, condition]) => {
      const id = `${source}_to_${target}`;
      const body = condition
        ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=${escapeXml(condition)}</bpmn:conditionExpression>`
        : '';
      return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">${body}</bpmn:sequenceFlow>`;
    })
    .join('\n');
}

export function scriptTask(id: string, expression: string, resultVariable: string, extra = ''): string {
  return `<bpmn:scriptTask id="${id}"><bpmn:extensionElements>
  <zeebe:script expression="=${escapeXml(expression)}" resultVariable="${resultVariable}" />${extra}
</bpmn:extensionElements></bpmn:scriptTask>`;
}

export function serviceTask(
  id: string,
  type: string,
  headers: Record<string, string> = {},
  extra = '',
): string {
  const headerXml = Object.entries(headers)
    .map(([key, value]) => `<zeebe:header key="${key}" value="${escapeXml(value)}" />`)
    .join('');
  return `<bpmn:serviceTask id="${id}"><bpmn:extensionElements>
  <zeebe:taskDefinition type="${type}" />${headerXml ? `<zeebe:taskHeaders>${headerXml}</zeebe:taskHeaders>` : ''}${extra}
</bpmn:extensionElements></bpmn:serviceTask>`;
}

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/**
 * BPMN definitions with several processes (the first is the routine's default process) and
 * root elements such as messages, signals, errors and escalations.
 */
export function bpmnDefinitions(processes: Record<string, string>, rootElements = ''): string {
  const processXml = Object.entries(processes)
    .map(([id, content]) => `  <bpmn:process id="${id}" isExecutable="true">\n${content}\n  </bpmn:process>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  id="definitions" targetNamespace="https://swarmflow.dev/test">
${rootElements}
${processXml}
</bpmn:definitions>`;
}

/** A `bpmn:message`; a correlation key (FEEL, `=` is added) gives it a zeebe:subscription. */
export function messageElement(id: string, name: string, correlationKey?: string): string {
  const subscription = correlationKey
    ? `<bpmn:extensionElements><zeebe:subscription correlationKey="=${escapeXml(correlationKey)}" /></bpmn:extensionElements>`
    : '';
  return `<bpmn:message id="${id}" name="${escapeXml(name)}">${subscription}</bpmn:message>`;
}

export function signalElement(id: string, name: string): string {
  return `<bpmn:signal id="${id}" name="${escapeXml(name)}" />`;
}

export function errorElement(id: string, errorCode: string): string {
  return `<bpmn:error id="${id}" name="${id}" errorCode="${escapeXml(errorCode)}" />`;
}

export function escalationElement(id: string, escalationCode: string): string {
  return `<bpmn:escalation id="${id}" name="${id}" escalationCode="${escapeXml(escalationCode)}" />`;
}

/** A timer event definition; `value` is written as given (a static ISO 8601 value, or `=` FEEL). */
export function timerDefinition(type: 'duration' | 'date' | 'cycle', value: string): string {
  const field = { duration: 'timeDuration', date: 'timeDate', cycle: 'timeCycle' }[type];
  return `<bpmn:timerEventDefinition><bpmn:${field} xsi:type="bpmn:tFormalExpression">${escapeXml(value)}</bpmn:${field}></bpmn:timerEventDefinition>`;
}

export function messageDefinition(messageRef: string): string {
  return `<bpmn:messageEventDefinition messageRef="${messageRef}" />`;
}

export function signalDefinition(signalRef: string): string {
  return `<bpmn:signalEventDefinition signalRef="${signalRef}" />`;
}

/** An error event definition; without a reference, a catch event catches every error. */
export function errorDefinition(errorRef?: string): string {
  return errorRef ? `<bpmn:errorEventDefinition errorRef="${errorRef}" />` : '<bpmn:errorEventDefinition />';
}

export function escalationDefinition(escalationRef?: string): string {
  return escalationRef
    ? `<bpmn:escalationEventDefinition escalationRef="${escalationRef}" />`
    : '<bpmn:escalationEventDefinition />';
}

export function linkDefinition(name: string): string {
  return `<bpmn:linkEventDefinition name="${escapeXml(name)}" />`;
}

export function terminateDefinition(): string {
  return '<bpmn:terminateEventDefinition />';
}

/** Zeebe extension elements, or nothing when there are none. */
export function extensionElements(...extensions: string[]): string {
  const content = extensions.filter(Boolean).join('');
  return content ? `<bpmn:extensionElements>${content}</bpmn:extensionElements>` : '';
}

/** A zeebe:ioMapping from `[source, target]` pairs; sources are FEEL (`=` is added). */
export function ioMapping(mappings: {
  inputs?: [source: string, target: string][];
  outputs?: [source: string, target: string][];
}): string {
  const items = (kind: 'input' | 'output', pairs: [string, string][] = []) =>
    pairs
      .map(([source, target]) => `<zeebe:${kind} source="=${escapeXml(source)}" target="${target}" />`)
      .join('');
  return `<zeebe:ioMapping>${items('input', mappings.inputs)}${items('output', mappings.outputs)}</zeebe:ioMapping>`;
}

/** A zeebe:taskDefinition, with zeebe:taskHeaders when headers are given. */
export function taskDefinition(
  type: string,
  options: { retries?: number; headers?: Record<string, string> } = {},
) {
  const retries = options.retries === undefined ? '' : ` retries="${options.retries}"`;
  const headers = Object.entries(options.headers ?? {})
    .map(([key, value]) => `<zeebe:header key="${key}" value="${escapeXml(value)}" />`)
    .join('');
  return `<zeebe:taskDefinition type="${type}"${retries} />${headers ? `<zeebe:taskHeaders>${headers}</zeebe:taskHeaders>` : ''}`;
}

export function zeebeScript(expression: string, resultVariable: string): string {
  return `<zeebe:script expression="=${escapeXml(expression)}" resultVariable="${resultVariable}" />`;
}

/**
 * Multi-instance characteristics with Zeebe's zeebe:loopCharacteristics; FEEL values
 * (inputCollection, outputElement, completionCondition) are given without the `=`.
 */
export function multiInstance(options: {
  sequential?: boolean;
  inputCollection: string;
  inputElement?: string;
  outputCollection?: string;
  outputElement?: string;
  completionCondition?: string;
}): string {
  const attributes = [
    `inputCollection="=${escapeXml(options.inputCollection)}"`,
    options.inputElement ? `inputElement="${options.inputElement}"` : '',
    options.outputCollection ? `outputCollection="${options.outputCollection}"` : '',
    options.outputElement ? `outputElement="=${escapeXml(options.outputElement)}"` : '',
  ].filter(Boolean);
  const completion = options.completionCondition
    ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=${escapeXml(options.completionCondition)}</bpmn:completionCondition>`
    : '';
  return `<bpmn:multiInstanceLoopCharacteristics isSequential="${options.sequential === true}">${extensionElements(
    `<zeebe:loopCharacteristics ${attributes.join(' ')} />`,
  )}${completion}</bpmn:multiInstanceLoopCharacteristics>`;
}

/**
 * Any activity or event: `<bpmn:{tag} id=... {attributes}>` with its zeebe extensions first,
 * then `body` (event definitions, loop characteristics, or a sub-process's content).
 */
export function element(
  tag: string,
  id: string,
  options: { attributes?: string; extensions?: string[]; body?: string } = {},
): string {
  const attributes = options.attributes ? ` ${options.attributes}` : '';
  return `<bpmn:${tag} id="${id}"${attributes}>${extensionElements(...(options.extensions ?? []))}${options.body ?? ''}</bpmn:${tag}>`;
}

/** A parallel gateway whose block-structured fork runs its branches as child workflows. */
export function childWorkflowFork(id: string): string {
  return element('parallelGateway', id, { extensions: [forkBranches('childWorkflows')] });
}

/** The zeebe:properties that tell a parallel fork where to run its branches. */
export function forkBranches(where: string): string {
  return `<zeebe:properties><zeebe:property name="swarmflow.forkBranches" value="${where}" /></zeebe:properties>`;
}

/** A boundary event on `attachedTo`, interrupting unless told otherwise. */
export function boundaryEvent(
  id: string,
  attachedTo: string,
  definition: string,
  options: { interrupting?: boolean; extensions?: string[] } = {},
): string {
  const cancelActivity = options.interrupting === false ? ' cancelActivity="false"' : '';
  return element('boundaryEvent', id, {
    attributes: `attachedToRef="${attachedTo}"${cancelActivity}`,
    body: definition,
    ...(options.extensions ? { extensions: options.extensions } : {}),
  });
}

/** An event sub-process whose start event `startId` has `definition`; `content` is the rest of it. */
export function eventSubProcess(
  id: string,
  startId: string,
  definition: string,
  content: string,
  options: { interrupting?: boolean; startExtensions?: string[] } = {},
): string {
  const start = element('startEvent', startId, {
    attributes: `isInterrupting="${options.interrupting !== false}"`,
    body: definition,
    ...(options.startExtensions ? { extensions: options.startExtensions } : {}),
  });
  return `<bpmn:subProcess id="${id}" triggeredByEvent="true">${start}\n${content}</bpmn:subProcess>`;
}

/** A call activity of `processId` (static, or `=` FEEL) with Zeebe's propagation flags. */
export function callActivity(
  id: string,
  processId: string,
  options: {
    propagateAllChildVariables?: boolean;
    propagateAllParentVariables?: boolean;
    extensions?: string[];
  } = {},
): string {
  const flags = [
    options.propagateAllChildVariables === undefined
      ? ''
      : ` propagateAllChildVariables="${options.propagateAllChildVariables}"`,
    options.propagateAllParentVariables === undefined
      ? ''
      : ` propagateAllParentVariables="${options.propagateAllParentVariables}"`,
  ].join('');
  return element('callActivity', id, {
    extensions: [
      `<zeebe:calledElement processId="${escapeXml(processId)}"${flags} />`,
      ...(options.extensions ?? []),
    ],
  });
}
