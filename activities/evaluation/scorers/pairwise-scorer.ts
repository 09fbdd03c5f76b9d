import { z } from 'zod';
import type { Scorer } from '../../../schema/evaluation.ts';
import type { JsonValue, Variables } from '../../../schema/json.ts';
import { sumUsage, type Usage } from '../../../schema/usage.ts';
import type { AskJudge } from '../judge-model.ts';
import type { Verdict } from './verdict.ts';

type PairwiseScorer = Extract<Scorer, { kind: 'pairwise' }>;

export interface ComparedCase {
  input: Variables;
  output: JsonValue;
  /** What the output is compared with: a baseline's output, or the expected one. */
  reference: JsonValue;
}

/** A comparison's answer: which of the two answers is better, or a tie, and why. */
export const PairwiseAnswer = z.object({
  winner: z.enum(['A', 'B', 'tie']),
  reason: z.string().min(1),
});

const PAIRWISE_SYSTEM =
  'You are a strict, impartial evaluator comparing two answers to the same task. ' +
  'Decide by the rubric alone; the order in which the answers are shown means nothing, nor does their length. ' +
  'Give a short reason that names concretely what makes the better answer better.';

/**
 * The judge model compares the output with the reference twice, once with each shown first, so
 * position bias cancels: each order scores 1 when the output wins, 0.5 for a tie, 0 when it loses,
 * and the score is their mean.
 */
export async function scorePairwise(
  scorer: PairwiseScorer,
  compared: ComparedCase,
  ask: AskJudge,
): Promise<Verdict & { usage: Usage }> {
  const question = (a: JsonValue, b: JsonValue) => ({
    ...(scorer.model === undefined ? {} : { model: scorer.model }),
    system: PAIRWISE_SYSTEM,
    prompt: [
      `Rubric:\n${scorer.rubric}`,
      `Task input:\n${JSON.stringify(compared.input)}`,
      `Answer A:\n${JSON.stringify(a)}`,
      `Answer B:\n${JSON.stringify(b)}`,
      'Which answer is better: "A", "B" or "tie"?',
    ].join('\n\n'),
  });
  const [first, second] = await Promise.all([
    ask(question(compared.output, compared.reference), PairwiseAnswer),
    ask(question(compared.reference, compared.output), PairwiseAnswer),
  ]);
  const outputFirst = outcome(first.answer.winner, 'A');
  const outputSecond = outcome(second.answer.winner, 'B');
  const score = (outputFirst.score + outputSecond.score) / 2;
  const reason =
    `shown first, the output ${outputFirst.word} (${first.answer.reason}); ` +
    `shown second, it ${outputSecond.word} (${second.answer.reason})`;
  return { score, reason, usage: sumUsage([first.usage, second.usage]) };
}

function outcome(winner: z.infer<typeof PairwiseAnswer>['winner'], outputIs: 'A' | 'B') {
  if (winner === 'tie') return { score: 0.5, word: 'tied with the reference' };
  return winner === outputIs
    ? { score: 1, word: 'beat the reference' }
    : { score: 0, word: 'lost to the reference' };
}
