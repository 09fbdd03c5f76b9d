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
