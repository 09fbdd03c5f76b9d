import { z } from 'zod';
import { canonicalJson } from '../../../schema/canonical-json.ts';
import type { CandidateProposal, EvidenceCase, ImprovementEvidence } from '../../../schema/improvement.ts';
import type { JsonValue, Variables } from '../../../schema/json.ts';
import { evaluateFeel } from '../../../workflows/feel.ts';
import type { Optimizer } from '../optimizer.ts';
import { BudgetedModel } from './budgeted-model.ts';
import {
  compiles,
  type LlmStep,
  llmSteps,
  stepContext,
  stepResult,
  withExpressionStep,
} from './llm-steps.ts';

export interface DeterministicOptions {
  /** Times a failing case is fed back to the model before the step is given up; default 2. */
  feedbackRounds?: number;
  /** Cases shown to the model as examples; default 12 (every case is verified regardless). */
  examples?: number;
  /** Cases a step needs, all with its answer recorded, before a function of its input is sought; default 3. */
  minCases?: number;
}

const SYSTEM =
  'You turn an LLM step of a workflow into a FEEL expression (the DMN/Camunda expression language) ' +
  'that computes its answer from its input variables. Use only the input variables shown; no ' +
  'leading "=". The expression must give exactly the recorded answer on every case.';

export const ExpressionAnswer = z.object({
  expression: z.string().min(1),
  rationale: z.string().min(1),
});

/** A case the expression got wrong: its input, what it gave (or its error) and the recorded answer. */
export interface Mismatch {
  input: Variables;
  expected: JsonValue;
  got: { value: JsonValue } | { error: string };
}

/** One case a step is verified on: what the step saw and what it answered. */
export interface StepCase {
  context: Variables;
  answer: JsonValue;
}

/**
 * LLM → deterministic. For an LLM step whose answer looks like a function of its input (insights'
 * deterministicCandidates name it, or across the evidence the same step input always got the same
 * answer), a model synthesises a FEEL expression over the step's input variables; the expression is
 * then verified locally on every evidence case (evaluateFeel on the step's input must equal the
 * recorded answer as canonical JSON). A case it gets wrong goes back to the model (at most
 * feedbackRounds times). Only an expression that holds on every case is proposed: the step becomes
 * an expression step (no model, no cost), its id, name, mappings and evaluation kept. A step whose
 * answer is not recorded on every case (it is not in the run's output) cannot be verified and is left.
 */
export function deterministic(options: DeterministicOptions = {}): Optimizer {
  const { feedbackRounds = 2, examples = 12, minCases = 3 } = options;
  return {
    name: 'deterministic',
    async propose(evidence, context) {
      const model = new BudgetedModel(context);
      const candidates: CandidateProposal[] = [];
      const definition = evidence.baseline.definition;
      for (const step of await llmSteps(definition)) {
        const cases = stepCases(step, evidence.cases);
        if (!cases || cases.length < minCases || !looksDeterministic(evidence, step, cases)) continue;
        let mismatch: Mismatch | undefined;
        let previous: string | undefined;
        for (let round = 0; round <= feedbackRounds; round++) {
          const question = {
            system: SYSTEM,
            prompt: synthesisPrompt(step, cases.slice(0, examples), previous, mismatch),
          };
          const answer = await model.answer(question, ExpressionAnswer);
          if (!answer) break;
          const expression = answer.expression.trim().replace(/^=\s*/, '');
          previous = expression;
          mismatch = verify(expression, cases);
          if (mismatch) continue;
          const candidate = await withExpressionStep(definition, step, expression);
          // The compiler's FEEL check is stricter than evaluation in places; what it refuses is not proposed.
          if (await compiles(candidate)) {
            candidates.push({
              optimizer: 'deterministic',
              change: `step ${step.id}: LLM replaced by the FEEL expression ${expression}, verified on ${cases.length} of ${cases.length} cases (${oneLine(answer.rationale)})`,
              definition: candidate,
            });
          }
          break;
        }
      }
      return { candidates, usage: model.usage };
    },
  };
}

/** The step's input and answer on every case, or undefined when some case lacks either. */
export function stepCases(step: LlmStep, cases: readonly EvidenceCase[]): StepCase[] | undefined {
  const found: StepCase[] = [];
  for (const evidence of cases) {
    const context = stepContext(step, evidence);
    const result = stepResult(step, evidence);
    if (!context || !result) return undefined;
    found.push({ context, answer: result.value });
  }
  return found;
}

/** The first case the expression gets wrong, or undefined when it holds on every one. */
export function verify(expression: string, cases: readonly StepCase[]): Mismatch | undefined {
  for (const { context, answer } of cases) {
    let got: Mismatch['got'];
    try {
      got = { value: evaluateFeel(expression, context) };
    } catch (error) {
      got = { error: error instanceof Error ? error.message : String(error) };
    }
    if ('error' in got || canonicalJson(got.value) !== canonicalJson(answer)) {
      return { input: context, expected: answer, got };
    }
  }
  return undefined;
}

/** Insights name the step, or no two cases with the same step input got different answers. */
function looksDeterministic(
  evidence: ImprovementEvidence,
  step: LlmStep,
  cases: readonly StepCase[],
): boolean {
  if (evidence.insights?.deterministicCandidates.some((candidate) => candidate.elementId === step.id))
    return true;
  const answers = new Map<string, string>();
  for (const { context, answer } of cases) {
    const key = canonicalJson(context);
    const seen = answers.get(key);
    if (seen !== undefined && seen !== canonicalJson(answer)) return false;
    answers.set(key, canonicalJson(answer));
  }
  return true;
}

function synthesisPrompt(
  step: LlmStep,
  cases: readonly StepCase[],
  previous: string | undefined,
  mismatch: Mismatch | undefined,
): string {
  const variables = [...new Set(cases.flatMap((c) => Object.keys(c.context)))];
  const parts = [
    `Step "${step.id}" asks a model:\n<instruction>\n${step.prompt}\n</instruction>`,
    `Its input variables: ${variables.join(', ')}. Its answer goes to "${step.resultVariable}".`,
    `Recorded cases (input → answer):\n${cases.map((c) => `${JSON.stringify(c.context)} → ${JSON.stringify(c.answer)}`).join('\n')}`,
  ];
  if (previous !== undefined && mismatch) {
    const got =
      'error' in mismatch.got
        ? `failed: ${mismatch.got.error}`
        : `gave ${JSON.stringify(mismatch.got.value)}`;
    parts.push(
      `Your expression ${previous} is wrong on input ${JSON.stringify(mismatch.input)}: it ${got}, ` +
        `but the answer is ${JSON.stringify(mismatch.expected)}. Correct it.`,
    );
  }
  parts.push(
    'Answer with {"expression": the FEEL expression, "rationale": why it computes the answer, in one sentence}.',
  );
  return parts.join('\n\n');
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
