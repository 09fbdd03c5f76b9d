import { z } from 'zod';
import type { EvalCase } from '../../../schema/evaluation.ts';
import type { JsonSchema } from '../../../schema/json.ts';
import type { ChatMessage } from '../../../schema/models.ts';
import { RoutineDefinition } from '../../../schema/routine.ts';

/**
 * Routine generation's words with the model, pure: the request (goal, examples, what the tenant
 * can run, the definition format with one small example of each kind), the compiler's feedback,
 * and reading the answer back into a RoutineDefinition.
 *
 * How the model chooses the kind: the prompt tells it to write a sequence (JSON) when the work is a
 * straight line of steps, and BPMN (XML) when it needs branching, parallel work, waiting for people,
 * timers or messages, or calls to other routines. The answer's form says which it chose: a JSON
 * object is a definition, a `<bpmn:definitions>` document is the body of one.
 */

/** What a generated routine is for and what it can use. */
export interface GenerationRequest {
  /** The routine id the result is registered under. */
  id: string;
  goal: string;
  /** Cases to show: inputs and expected outputs (a handful is enough; more are cut). */
  examples?: readonly EvalCase[];
  /** Task types a step's `type` or a service task's `zeebe:taskDefinition type` may name. */
  taskTypes: readonly string[];
  /** MCP tools an LLM step may be allowed (`<server>/<tool>` globs), when any are configured. */
  tools?: readonly string[];
  /** Schemas the routine must keep (a replacement for an existing routine keeps its contract). */
  inputSchema?: JsonSchema;
  outputSchema?: JsonSchema;
}

/** Examples shown to the model at most, so a large file does not fill its context. */
export const EXAMPLES_SHOWN = 5;

const SEQUENCE_EXAMPLE = {
  id: 'greeting',
  name: 'Greeting',
  description: 'Builds a greeting from a name, then asks an LLM for a friendly reply',
  inputSchema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
  outputSchema: { type: 'object', properties: { greeting: { type: 'string' } } },
  body: {
    kind: 'sequence',
    steps: [
      { id: 'greet', expression: '"Hello, " + name', resultVariable: 'greeting' },
      {
        id: 'reply',
        prompt: 'Write one friendly sentence answering: {{ greeting }}',
        outputSchema: { type: 'object', properties: { reply: { type: 'string' } }, required: ['reply'] },
      },
      { id: 'stamp', type: 'set', headers: { length: '=string length(greeting)' } },
    ],
  },
};

const BPMN_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  id="definitions" targetNamespace="https://swarmflow.dev/generated">
  <bpmn:process id="size_order" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:scriptTask id="total">
      <bpmn:extensionElements>
        <zeebe:script expression="=quantity * unitPrice" resultVariable="total" />
      </bpmn:extensionElements>
    </bpmn:scriptTask>
    <bpmn:exclusiveGateway id="is_large" default="to_small" />
    <bpmn:scriptTask id="large">
      <bpmn:extensionElements><zeebe:script expression="=&quot;large&quot;" resultVariable="label" /></bpmn:extensionElements>
    </bpmn:scriptTask>
    <bpmn:scriptTask id="small">
      <bpmn:extensionElements><zeebe:script expression="=&quot;small&quot;" resultVariable="label" /></bpmn:extensionElements>
    </bpmn:scriptTask>
    <bpmn:endEvent id="end_large" />
    <bpmn:endEvent id="end_small" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="total" />
    <bpmn:sequenceFlow id="f2" sourceRef="total" targetRef="is_large" />
    <bpmn:sequenceFlow id="to_large" sourceRef="is_large" targetRef="large">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=total &gt; 100</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to_small" sourceRef="is_large" targetRef="small" />
    <bpmn:sequenceFlow id="f3" sourceRef="large" targetRef="end_large" />
    <bpmn:sequenceFlow id="f4" sourceRef="small" targetRef="end_small" />
  </bpmn:process>
</bpmn:definitions>`;

const SYSTEM = `You design Swarmflow routines: business processes that run as durable workflows.
Answer with exactly one routine and nothing else, in one of two forms:
1. A sequence routine as one JSON object (a RoutineDefinition whose body is {"kind": "sequence", "steps": [...]}).
   Choose it when the work is a straight line of steps.
2. A BPMN 2.0 model as one XML document (<bpmn:definitions> with one executable <bpmn:process>, Camunda 8 / Zeebe extensions).
   Choose it when the work needs branching (exclusive gateways with FEEL conditions), parallel work, waiting for people,
   timers or messages, or calls to other routines.
Expressions are FEEL. In a sequence step, "expression", "inputs" and "outputs" values are FEEL as they are;
in BPMN, expressions start with "=". Every step gives exactly one of "type" (a task type), "expression"
(with "resultVariable") or "prompt" (an LLM prompt with {{ FEEL }} placeholders, optionally an "outputSchema").
Variables: the input's fields are variables; every step's results become variables; the run's output is its variables.
Use only the task types and tools listed. If your routine does not compile you get the compiler's errors: fix exactly those.`;

/** The system message and the first user message of a generation. */
export function generationMessages(request: GenerationRequest): ChatMessage[] {
  return [
    { role: 'system', text: SYSTEM },
    { role: 'user', text: generationPrompt(request) },
  ];
}

/** The first request: goal, id, examples, what may be used, the format and one example of each kind. */
export function generationPrompt(request: GenerationRequest): string {
  const examples = (request.examples ?? []).slice(0, EXAMPLES_SHOWN);
  const sections = [
    `Goal: ${request.goal}`,
    `Routine id: ${request.id} (use it as the JSON "id"; a BPMN process id may be anything)`,
  ];
  if (request.inputSchema)
    sections.push(`Its input schema (keep it): ${JSON.stringify(request.inputSchema)}`);
  if (request.outputSchema)
    sections.push(`Its output schema (keep it): ${JSON.stringify(request.outputSchema)}`);
  if (examples.length > 0) {
    const shown = examples.map((example, index) =>
      [
        `Example ${index + 1}:`,
        `  input: ${JSON.stringify(example.input)}`,
        ...(example.expected === undefined ? [] : [`  expected output: ${JSON.stringify(example.expected)}`]),
      ].join('\n'),
    );
    const more = (request.examples?.length ?? 0) - examples.length;
    sections.push(
      `The routine must turn these inputs into these outputs (the output holds at least the expected fields):\n${shown.join('\n')}${more > 0 ? `\n(${more} more cases like these)` : ''}`,
    );
  }
  sections.push(`Task types: ${request.taskTypes.join(', ') || 'none'}`);
  sections.push(
    request.tools && request.tools.length > 0
      ? `Tools an LLM step may allow ("tools": [...]): ${request.tools.join(', ')}`
      : 'Tools: none are configured; do not give LLM steps "tools".',
  );
  sections.push(`A sequence routine (JSON):\n${JSON.stringify(SEQUENCE_EXAMPLE, null, 2)}`);
  sections.push(`A BPMN routine (XML):\n${BPMN_EXAMPLE}`);
  sections.push(`The JSON definition's schema:\n${JSON.stringify(definitionSchema())}`);
  return sections.join('\n\n');
}

/** What goes back to the model when its answer did not compile or did not parse: the problems verbatim. */
export function fixRequest(problems: string): ChatMessage {
  return {
    role: 'user',
    text: `Your routine was rejected:\n${problems}\nAnswer with the whole corrected routine, in the same form, and nothing else.`,
  };
}

/** An answer read back: the definition it holds, or why it holds none (in words for the model). */
export type ParsedAnswer = { definition: RoutineDefinition } | { problems: string };

/**
 * Reads a model's answer: a BPMN document (possibly in a ```xml fence) becomes a bpmn body under
 * the request's id, with the goal as the description; else the first JSON object (possibly fenced)
 * must be a RoutineDefinition, whose id is set to the request's. Never throws.
 */
export function parseGenerationAnswer(
  text: string,
  request: Pick<GenerationRequest, 'id' | 'goal'>,
): ParsedAnswer {
  const xml = bpmnDocument(text);
  if (xml !== undefined) {
    return { definition: { id: request.id, description: request.goal, body: { kind: 'bpmn', xml } } };
  }
  const json = jsonObject(text);
  if (json === undefined) {
    return {
      problems:
        'no routine found: answer with one JSON object (a sequence routine) or one <bpmn:definitions> document',
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { problems: `the JSON does not parse: ${(error as Error).message}` };
  }
  const withId = value !== null && typeof value === 'object' ? { ...value, id: request.id } : value;
  const parsed = RoutineDefinition.safeParse(withId);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('\n'),
    };
  }
  const definition = parsed.data;
  return { definition: definition.description ? definition : { ...definition, description: request.goal } };
}

function bpmnDocument(text: string): string | undefined {
  const start = text.search(/<\?xml|<(\w+:)?definitions[\s>]/);
  if (start < 0) return undefined;
  const close = /<\/(\w+:)?definitions\s*>/g;
  let end = -1;
  for (let match = close.exec(text); match; match = close.exec(text)) end = match.index + match[0].length;
  return end > start ? text.slice(start, end) : undefined;
}

function jsonObject(text: string): string | undefined {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text);
  const body = fenced?.[1] ?? text;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  return start >= 0 && end > start ? body.slice(start, end + 1) : undefined;
}

/** The definition's JSON Schema, trimmed of the dialect line, as the model reads it. */
function definitionSchema(): unknown {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(RoutineDefinition, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return schema;
}
