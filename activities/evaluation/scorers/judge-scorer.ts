import { z } from 'zod';
import type { Scorer } from '../../../schema/evaluation.ts';
import type { JsonValue, Variables } from '../../../schema/json.ts';
import type { Usage } from '../../../schema/usage.ts';
import type { AskJudge } from '../judge-model.ts';
import type { Verdict } from './verdict.ts';

type JudgeScorer = Extract<Scorer, { kind: 'judge' }>;

export interface JudgedCase {
  input: Variables;
  output: JsonValue;
  expected?: JsonValue;
}

const JUDGE_SYSTEM =
  'You are a strict, impartial evaluator. Grade the output of a task against the rubric you are given. ' +
  'Judge only what the rubric asks; do not reward length or confidence. ' +
  'Give a short reason that names concretely what is wrong or missing, so the task can be improved.';

/** A judge's answer: a whole grade on the scorer's scale and why. */
export function judgeAnswer(scale: JudgeScorer['scale']) {
  return z.object({
    grade: z.number().int().min(scale.min).max(scale.max),
    reason: z.string().min(1),
  });
}

/** The judge model grades the output against the rubric; the grade maps linearly onto [0, 1]. */
export async function scoreJudge(
  scorer: JudgeScorer,
  scored: JudgedCase,
  ask: AskJudge,
): Promise<Verdict & { usage: Usage }> {
  const { min, max } = scorer.scale;
  const prompt = [
    `Rubric:\n${scorer.rubric}`,
    `Scale: a whole grade from ${min} (worst) to ${max} (best).`,
    `Task input:\n${JSON.stringify(scored.input)}`,
    ...(scored.expected === undefined
      ? []
      : [`Expected output (a reference):\n${JSON.stringify(scored.expected)}`]),
    `Output to grade:\n${JSON.stringify(scored.output)}`,
  ].join('\n\n');
  const { answer, usage } = await ask(
    { ...(scorer.model === undefined ? {} : { model: scorer.model }), system: JUDGE_SYSTEM, prompt },
    judgeAnswer(scorer.scale),
  );
  return {
    score: (answer.grade - min) / (max - min),
    reason: `graded ${answer.grade} on ${min}-${max}: ${answer.reason}`,
    usage,
  };
}
