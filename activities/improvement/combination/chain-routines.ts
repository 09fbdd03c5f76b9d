import type { JsonSchema } from '../../../schema/json.ts';
import type { RoutineDefinition } from '../../../schema/routine.ts';

/** A routine as a chain uses it: its id and name, and its schemas when it declares them. */
export interface ChainLink {
  id: string;
  name?: string;
  inputSchema?: JsonSchema;
  outputSchema?: JsonSchema;
}

/** The longest routine id (RoutineId); a combined id is cut to it. */
const MAX_ID = 128;

/** The id of the routine that runs `before`, then `after`. */
export function chainId(before: string, after: string): string {
  return `${before}_then_${after}`.slice(0, MAX_ID);
}

/**
 * A new BPMN routine that runs `before` and then `after` as call activities (each resolved as a
 * call activity resolves a routine id: its latest version). The first call's result comes back
 * only as `fields` (the fields of its output that `after` takes, `coveredFields` in the insights;
 * all of its variables when none are given); the second call gets each of them mapped in
 * explicitly, beside the run's own variables, and its variables become the run's output (fields
 * that are not FEEL names map nothing: all variables flow). The
 * combined routine takes `before`'s input schema and gives `after`'s output schema. Pure.
 */
export function chainRoutines(
  before: ChainLink,
  after: ChainLink,
  covered: readonly string[],
): RoutineDefinition {
  // A field FEEL cannot name as a variable is not mapped: then every variable flows through.
  const fields = covered.every((field) => /^[A-Za-z_]\w*$/.test(field)) ? covered : [];
  const id = chainId(before.id, after.id);
  const outputs = fields.map(
    (field) => `<zeebe:output source="=${xmlText(field)}" target="${xmlText(field)}" />`,
  );
  const inputs = fields.map(
    (field) => `<zeebe:input source="=${xmlText(field)}" target="${xmlText(field)}" />`,
  );
  const mapping = (lines: string[]) =>
    lines.length === 0
      ? ''
      : `\n        <zeebe:ioMapping>\n          ${lines.join('\n          ')}\n        </zeebe:ioMapping>`;
  const childVariables = fields.length === 0 ? '' : ' propagateAllChildVariables="false"';
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="definitions_${xmlText(id)}" targetNamespace="https://swarmflow.dev/combined">
  <bpmn:process id="${xmlText(id)}" name="${xmlText(`${label(before)}, then ${label(after)}`)}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:callActivity id="call_first" name="${xmlText(label(before))}">
      <bpmn:extensionElements>
        <zeebe:calledElement processId="${xmlText(before.id)}"${childVariables} />${mapping(outputs)}
      </bpmn:extensionElements>
    </bpmn:callActivity>
    <bpmn:callActivity id="call_second" name="${xmlText(label(after))}">
      <bpmn:extensionElements>
        <zeebe:calledElement processId="${xmlText(after.id)}" />${mapping(inputs)}
      </bpmn:extensionElements>
    </bpmn:callActivity>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="to_first" sourceRef="start" targetRef="call_first" />
    <bpmn:sequenceFlow id="first_to_second" sourceRef="call_first" targetRef="call_second" />
    <bpmn:sequenceFlow id="to_end" sourceRef="call_second" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
`;
  return {
    id,
    name: `${label(before)}, then ${label(after)}`,
    description: `Runs ${before.id}, then ${after.id} with ${before.id}'s output${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`,
    ...(before.inputSchema ? { inputSchema: before.inputSchema } : {}),
    ...(after.outputSchema ? { outputSchema: after.outputSchema } : {}),
    body: { kind: 'bpmn', xml },
  };
}

function label(link: ChainLink): string {
  return link.name ?? link.id;
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
