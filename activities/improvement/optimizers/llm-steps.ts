import { compileRoutine } from '../../../compiler/index.ts';
import type { VariableMapping } from '../../../schema/graph.ts';
import type { EvidenceCase } from '../../../schema/improvement.ts';
import type { JsonValue, Variables } from '../../../schema/json.ts';
import type { RoutineDefinition, SequenceStep } from '../../../schema/routine.ts';
import type { StrategyChoice } from '../../../schema/strategy.ts';
import { evaluateFeel } from '../../../workflows/feel.ts';
import { withScriptTask, withTaskHeaders } from './bpmn-task-edits.ts';

/**
 * An LLM step as the optimizers see it, whatever the routine's kind: a sequence step with a
 * `prompt`, or a BPMN service task of type "llm" (its prompt and settings in task headers).
 */
export interface LlmStep {
  id: string;
  prompt: string;
  system?: string;
  /** The variable its answer goes to ("answer" unless set). */
  resultVariable: string;
  /** The configured model it names; absent: the deployment's default model. */
  model?: string;
  /** Its own strategy, else the routine's default. */
  strategy: StrategyChoice;
  tools: string[];
  /** Its input mappings: local variable ← FEEL over the variables in scope. */
  inputs: VariableMapping[];
  /**
   * Variables the steps before it set, read from a case's output (a sequence's earlier steps); a
   * BPMN task is taken to see only the run's input, as its predecessors are not followed.
   */
  earlier: string[];
}

/** The routine's LLM steps in order, sensitive ones left out (their data may not go to a model); none when it does not compile. */
export async function llmSteps(definition: RoutineDefinition): Promise<LlmStep[]> {
  let compiled: Awaited<ReturnType<typeof compileRoutine>>;
  try {
    compiled = await compileRoutine(definition.body);
  } catch {
    return [];
  }
  const earlier = earlierVariables(definition);
  return Object.values(compiled.processes).flatMap((process) =>
    Object.values(process.elements).flatMap((element) => {
      if (element.kind !== 'workTask' || element.work.kind !== 'llm' || element.work.sensitive) return [];
      const work = element.work;
      const strategy = work.strategy === 'auto' ? (definition.strategy ?? 'auto') : work.strategy;
      return [
        {
          id: element.id,
          prompt: work.prompt,
          ...(work.system === undefined ? {} : { system: work.system }),
          resultVariable: work.resultVariable,
          ...(work.model === undefined ? {} : { model: work.model }),
          strategy,
          tools: work.tools,
          inputs: element.inputs,
          earlier: earlier.get(element.id) ?? [],
        },
      ];
    }),
  );
}

/** Whether the definition's body compiles: an optimizer proposes nothing that would not register. */
export async function compiles(definition: RoutineDefinition): Promise<boolean> {
  try {
    await compileRoutine(definition.body);
    return true;
  } catch {
    return false;
  }
}

/** What an optimizer changes of an LLM step. */
export interface LlmStepChange {
  prompt?: string;
  model?: string;
  strategy?: StrategyChoice;
  tools?: string[];
}

/** The definition with one LLM step's prompt, strategy or tools changed (a BPMN task's headers). */
export async function withLlmChange(
  definition: RoutineDefinition,
  stepId: string,
  change: LlmStepChange,
): Promise<RoutineDefinition> {
  if (definition.body.kind === 'sequence') {
    const steps = definition.body.steps.map((step) => (step.id === stepId ? { ...step, ...change } : step));
    return { ...definition, body: { kind: 'sequence', steps } };
  }
  const headers: Record<string, string> = {
    ...(change.prompt === undefined ? {} : { prompt: change.prompt }),
    ...(change.model === undefined ? {} : { model: change.model }),
    ...(change.strategy === undefined ? {} : { strategy: change.strategy }),
    ...(change.tools === undefined ? {} : { tools: change.tools.join(', ') }),
  };
  return {
    ...definition,
    body: { kind: 'bpmn', xml: await withTaskHeaders(definition.body.xml, stepId, headers) },
  };
}

/**
 * The definition with the LLM step replaced by work that runs no model: a sequence expression
 * step (its id, name, mappings and evaluation kept), or a BPMN script task (zeebe:script).
 */
export async function withExpressionStep(
  definition: RoutineDefinition,
  step: LlmStep,
  expression: string,
): Promise<RoutineDefinition> {
  if (definition.body.kind === 'bpmn') {
    const xml = await withScriptTask(definition.body.xml, step.id, expression, step.resultVariable);
    return { ...definition, body: { kind: 'bpmn', xml } };
  }
  const steps = definition.body.steps.map((original): SequenceStep => {
    if (original.id !== step.id) return original;
    const { id, name, inputs, outputs, evaluation } = original;
    return {
      id,
      ...(name === undefined ? {} : { name }),
      expression,
      resultVariable: step.resultVariable,
      ...(inputs === undefined ? {} : { inputs }),
      ...(outputs === undefined ? {} : { outputs }),
      ...(evaluation === undefined ? {} : { evaluation }),
    };
  });
  return { ...definition, body: { kind: 'sequence', steps } };
}

/**
 * What a step saw when a case ran: the case's input, the variables the steps before it set (read
 * from the run's output, which holds the run's variables at its end), then the step's own input
 * mappings. Undefined when a mapping cannot be evaluated.
 */
export function stepContext(step: LlmStep, evidence: EvidenceCase): Variables | undefined {
  const output = asObject(evidence.output);
  const context: Variables = { ...evidence.input };
  for (const name of step.earlier) {
    const value = output?.[name];
    if (value !== undefined) context[name] = value;
  }
  try {
    for (const { target, source } of step.inputs) context[target] = evaluateFeel(source, context);
  } catch {
    return undefined;
  }
  return context;
}

/** The step's own answer on a case: its result variable in the run's output, when recorded. */
export function stepResult(step: LlmStep, evidence: EvidenceCase): { value: JsonValue } | undefined {
  const value = asObject(evidence.output)?.[step.resultVariable];
  return value === undefined ? undefined : { value };
}

/**
 * The context narrowed to the variables the step's prompt names (as identifiers in its
 * placeholders), or the whole context when the prompt names none of them.
 */
export function promptVariables(step: LlmStep, context: Variables): Variables {
  const placeholders = [...`${step.prompt} ${step.system ?? ''}`.matchAll(/\{\{([\s\S]+?)\}\}/g)]
    .map(([, expression]) => expression)
    .join(' ');
  const named = Object.entries(context).filter(([name]) =>
    new RegExp(`(^|[^\\w.])${escapeRegExp(name)}(?![\\w])`).test(placeholders),
  );
  return named.length > 0 ? Object.fromEntries(named) : context;
}

/** For each step of a sequence, the variables the steps before it set. */
function earlierVariables(definition: RoutineDefinition): Map<string, string[]> {
  const earlier = new Map<string, string[]>();
  if (definition.body.kind !== 'sequence') return earlier;
  const set: string[] = [];
  for (const step of definition.body.steps) {
    earlier.set(step.id, [...set]);
    set.push(...variablesSetBy(step));
  }
  return earlier;
}

function variablesSetBy(step: SequenceStep): string[] {
  if (step.outputs) return Object.keys(step.outputs);
  if (step.expression !== undefined) return step.resultVariable ? [step.resultVariable] : [];
  if (step.prompt !== undefined) return [step.resultVariable ?? 'answer'];
  return [];
}

function asObject(value: JsonValue | undefined): Record<string, JsonValue> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
