import type { EvidenceCase } from '../../../schema/improvement.ts';
import type { JsonValue, Variables } from '../../../schema/json.ts';
import type { RoutineDefinition, SequenceStep } from '../../../schema/routine.ts';
import type { StrategyChoice } from '../../../schema/strategy.ts';
import { evaluateFeel } from '../../../workflows/feel.ts';

/**
 * An LLM step of a sequence routine as the optimizers see it. BPMN routines have none here: their
 * LLM tasks carry the prompt in XML task headers, which the optimizers do not rewrite yet.
 */
export interface LlmStep {
  id: string;
  /** Its position among the routine's steps. */
  index: number;
  step: SequenceStep & { prompt: string };
  /** The variable its answer goes to (the LLM work's default, "answer", when unset). */
  resultVariable: string;
  /** Its own strategy, else the routine's default. */
  strategy: StrategyChoice | undefined;
  tools: string[];
}

const DEFAULT_RESULT_VARIABLE = 'answer';

/** The routine's LLM steps, in order (sensitive steps left out: their data may not go to a model). */
export function llmSteps(definition: RoutineDefinition): LlmStep[] {
  if (definition.body.kind !== 'sequence') return [];
  return definition.body.steps.flatMap((step, index) =>
    step.prompt === undefined || step.sensitive
      ? []
      : [
          {
            id: step.id,
            index,
            step: { ...step, prompt: step.prompt },
            resultVariable: step.resultVariable ?? DEFAULT_RESULT_VARIABLE,
            strategy: step.strategy ?? definition.strategy,
            tools: step.tools ?? [],
          },
        ],
  );
}

/** The definition with one sequence step replaced (everything else as it was). */
export function withStep(definition: RoutineDefinition, replacement: SequenceStep): RoutineDefinition {
  if (definition.body.kind !== 'sequence') return definition;
  const steps = definition.body.steps.map((step) => (step.id === replacement.id ? replacement : step));
  return { ...definition, body: { kind: 'sequence', steps } };
}

/**
 * What a step saw when a case ran: the case's input, the variables the steps before it set (read
 * from the run's output, which holds the run's variables at its end), then the step's own input
 * mappings. Undefined when a mapping cannot be evaluated.
 */
export function stepContext(
  definition: RoutineDefinition,
  step: LlmStep,
  evidence: EvidenceCase,
): Variables | undefined {
  if (definition.body.kind !== 'sequence') return undefined;
  const output = asObject(evidence.output);
  const context: Variables = { ...evidence.input };
  for (const earlier of definition.body.steps.slice(0, step.index)) {
    for (const name of variablesSetBy(earlier)) {
      const value = output?.[name];
      if (value !== undefined) context[name] = value;
    }
  }
  try {
    for (const [name, source] of Object.entries(step.step.inputs ?? {})) {
      context[name] = evaluateFeel(source, context);
    }
  } catch {
    return undefined;
  }
  return context;
}

/** The step's own answer on a case: its result variable in the run's output, when recorded. */
export function stepResult(step: LlmStep, evidence: EvidenceCase): { value: JsonValue } | undefined {
  const output = asObject(evidence.output);
  if (!output || !(step.resultVariable in output)) return undefined;
  const value = output[step.resultVariable];
  return value === undefined ? undefined : { value };
}

/**
 * The context narrowed to the variables the step's prompt names (as identifiers in its
 * placeholders), or the whole context when the prompt names none of them.
 */
export function promptVariables(step: LlmStep, context: Variables): Variables {
  const placeholders = [...`${step.step.prompt} ${step.step.system ?? ''}`.matchAll(/\{\{([\s\S]+?)\}\}/g)]
    .map(([, expression]) => expression)
    .join(' ');
  const named = Object.entries(context).filter(([name]) =>
    new RegExp(`(^|[^\\w.])${escapeRegExp(name)}(?![\\w])`).test(placeholders),
  );
  return named.length > 0 ? Object.fromEntries(named) : context;
}

function variablesSetBy(step: SequenceStep): string[] {
  if (step.outputs) return Object.keys(step.outputs);
  if (step.expression !== undefined) return step.resultVariable ? [step.resultVariable] : [];
  if (step.prompt !== undefined) return [step.resultVariable ?? DEFAULT_RESULT_VARIABLE];
  return [];
}

function asObject(value: JsonValue | undefined): Record<string, JsonValue> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
