import type { Variables } from '../../schema/json.ts';

/**
 * The score a completed user task gives its run, from the variables the person completed it with:
 * - `score`: a number from 0 to 1 is the score (a number outside is no score: nothing is clamped);
 * - else `approved`: a boolean, true scores 1 and false 0 (an approve/reject form);
 * - else none: the task gives no score.
 * A `comment` string, when there is one, is the score's reason. Pure.
 */
export function userTaskScore(output: Variables | null): { score: number; reason?: string } | undefined {
  if (output === null) return undefined;
  const { score, approved, comment } = output;
  const reason = typeof comment === 'string' && comment.length > 0 ? { reason: comment } : {};
  if (typeof score === 'number' && score >= 0 && score <= 1) return { score, ...reason };
  if (typeof approved === 'boolean') return { score: approved ? 1 : 0, ...reason };
  return undefined;
}
