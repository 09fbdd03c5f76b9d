import {
  type CompiledRoutine,
  type FlowElement,
  LlmWork,
  type ProcessGraph,
  type SequenceFlow,
  type StepWork,
  type VariableMapping,
} from '../schema/graph.ts';
import { SequenceStep } from '../schema/routine.ts';
import { type CompileProblem, type Report, RoutineCompileError, reporter } from './errors.ts';
import { checkedFeel } from './feel.ts';
import { compileLlmWork } from './llm-work.ts';

const PROCESS_ID = 'main';
// "@" is not allowed in step ids, so these never clash with a step.
const START_ID = '@start';
const END_ID = '@end';

const SERVICE_ONLY = ['headers', 'retries', 'timeoutMs', 'outputSchema'] as const;
const LLM_ONLY = [
  'system',
  'model',
  'strategy',
  'tools',
  'maxTurns',
  'maxToolCalls',
  'maxOutputRetries',
  'sensitive',
  'requireApprovalFor',
  'failOnRejection',
] as const;

/**
 * Compiles sequence steps to a linear graph: start, one task per step, end. Step
 * expressions and mapping sources are FEEL as they are (no Zeebe "=").
 */
export function compileSequence(steps: readonly unknown[]): CompiledRoutine {
  const problems: CompileProblem[] = [];
  if (steps.length === 0) problems.push({ message: 'a sequence routine needs at least one step' });
  const parsed = steps.flatMap((raw, index) => parseStep(raw, index, problems));
  reportDuplicateIds(parsed, problems);
  if (problems.length > 0) throw new RoutineCompileError(problems);
  return { processes: { [PROCESS_ID]: sequenceGraph(parsed) }, defaultProcessId: PROCESS_ID };
}

function parseStep(raw: unknown, index: number, problems: CompileProblem[]): SequenceStep[] {
  const report = reporter(problems, { id: stepLabel(raw, index), type: 'step' });
  const result = SequenceStep.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      report(issue.path.length > 0 ? `"${issue.path.join('.')}": ${issue.message}` : issue.message);
    }
    return [];
  }
  checkFieldsApply(result.data, report);
  checkExpressions(result.data, report);
  if (result.data.prompt !== undefined)
    compileLlmWork(llmFields(result.data), report, (field) => `"${field}"`);
  return [result.data];
}

function stepLabel(raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null && 'id' in raw ? raw.id : undefined;
  return typeof id === 'string' && id !== '' ? id : `#${index + 1}`;
}

/** Fields the other kind of step would silently drop. */
function checkFieldsApply(step: SequenceStep, report: Report): void {
  if (step.type !== undefined && step.resultVariable !== undefined) {
    report('"resultVariable" only applies to an expression or prompt step; map a task result with "outputs"');
  }
  if (step.prompt === undefined) {
    for (const field of LLM_ONLY) {
      if (step[field] !== undefined) report(`"${field}" only applies to a step with a "prompt"`);
    }
  } else if (step.headers !== undefined) report('"headers" only applies to a step with a "type"');
  if (step.expression === undefined) return;
  for (const field of SERVICE_ONLY) {
    if (step[field] !== undefined) report(`"${field}" only applies to a step with a "type"`);
  }
}

function checkExpressions(step: SequenceStep, report: Report): void {
  if (step.expression !== undefined) checkedFeel(step.expression, 'expression', report);
  for (const [kind, record] of [
    ['input', step.inputs],
    ['output', step.outputs],
  ] as const) {
    for (const [target, source] of Object.entries(record ?? {})) {
      if (!target.trim()) report(`an ${kind} has an empty variable name`);
      checkedFeel(source, `${kind} "${target}"`, report);
    }
  }
}

function reportDuplicateIds(steps: readonly SequenceStep[], problems: CompileProblem[]): void {
  const seen = new Set<string>();
  for (const { id } of steps) {
    if (seen.has(id))
      problems.push({ elementId: id, elementType: 'step', message: 'another step has the same id' });
    seen.add(id);
  }
}

function sequenceGraph(steps: readonly SequenceStep[]): ProcessGraph {
  const ids = [START_ID, ...steps.map((step) => step.id), END_ID];
  const flows: SequenceFlow[] = ids.slice(1).map((target, index) => {
    const source = ids[index] ?? START_ID;
    return { id: `${source}->${target}`, source, target };
  });
  const links = (index: number) => ({
    scope: PROCESS_ID,
    incoming: flows.slice(Math.max(0, index - 1), index).map((flow) => flow.id),
    outgoing: flows.slice(index, index + 1).map((flow) => flow.id),
    inputs: [],
    outputs: [],
  });
  const elements: FlowElement[] = [
    { id: START_ID, kind: 'startEvent', interrupting: true, ...links(0) },
    ...steps.map((step, index) => stepElement(step, links(index + 1))),
    { id: END_ID, kind: 'endEvent', ...links(ids.length - 1) },
  ];
  return {
    id: PROCESS_ID,
    startId: START_ID,
    eventSubProcesses: [],
    elements: Object.fromEntries(elements.map((element) => [element.id, element])),
    flows: Object.fromEntries(flows.map((flow) => [flow.id, flow])),
    forks: {},
  };
}

function stepElement(
  step: SequenceStep,
  links: { scope: string; incoming: string[]; outgoing: string[] },
): FlowElement {
  const work = stepWork(step);
  return {
    id: step.id,
    ...(step.name === undefined ? {} : { name: step.name }),
    ...links,
    boundaryEvents: [],
    inputs: variableMappings(step.inputs),
    outputs: variableMappings(step.outputs),
    kind: 'workTask',
    bpmnType: work.kind === 'script' ? 'scriptTask' : 'serviceTask',
    work,
  };
}

function stepWork(step: SequenceStep): StepWork {
  if (step.prompt !== undefined) return LlmWork.parse({ ...llmFields(step), kind: 'llm' });
  if (step.type === undefined) {
    // SequenceStep guarantees that a step without a type has an expression and a resultVariable.
    return { kind: 'script', expression: step.expression ?? '', resultVariable: step.resultVariable ?? '' };
  }
  const { retries, timeoutMs, outputSchema } = step;
  return {
    kind: 'service',
    taskType: step.type,
    headers: step.headers ?? {},
    ...(retries === undefined ? {} : { retries }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(outputSchema === undefined ? {} : { outputSchema }),
  };
}

function variableMappings(record: Readonly<Record<string, string>> = {}): VariableMapping[] {
  return Object.entries(record).map(([target, source]) => ({ target, source }));
}

/** The fields of a prompt step that make its LLM work. */
function llmFields(step: SequenceStep): Record<string, unknown> {
  const { id, name, type, expression, inputs, outputs, headers, ...fields } = step;
  return fields;
}
