import { z } from 'zod';
import type { CanaryRules } from './canary-judgement.ts';

export const DEFAULT_CANARY_MIN_RUNS = 20;
export const DEFAULT_CANARY_FAILURE_MARGIN = 0.05;
export const DEFAULT_CANARY_SCORE_MARGIN = 0.05;
export const DEFAULT_CANARY_CHECK_EVERY_MS = 5 * 60 * 1000;
export const DEFAULT_CANARY_MAX_DURATION_MS = 24 * 60 * 60 * 1000;

/**
 * A routine's canary release: instead of switching every new run to a promoted candidate at once,
 * `percent` of new runs start it while the cycle compares its live failure rate and scores with the
 * active version's; it is rolled back as soon as it falls behind by a margin, and made active once
 * `minRuns` of its runs held up.
 */
export const CanaryPolicy = z.strictObject({
  percent: z
    .number()
    .int()
    .min(1)
    .max(99)
    .describe('the share of new runs, in per cent, that start the candidate (1 to 99)'),
  minRuns: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      `runs of the candidate (and of the baseline) needed before it is judged (default ${DEFAULT_CANARY_MIN_RUNS})`,
    ),
  failureMargin: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      `roll back when the candidate's failure rate exceeds the baseline's by more than this (default ${DEFAULT_CANARY_FAILURE_MARGIN})`,
    ),
  scoreMargin: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      `roll back when the candidate's mean live score is below the baseline's by more than this (default ${DEFAULT_CANARY_SCORE_MARGIN})`,
    ),
  checkEveryMs: z
    .number()
    .int()
    .min(1000)
    .optional()
    .describe(`how often the cycle compares the two (default ${DEFAULT_CANARY_CHECK_EVERY_MS} ms)`),
  maxDurationMs: z
    .number()
    .int()
    .min(1000)
    .optional()
    .describe(
      `how long the canary may run without enough runs to judge; then the baseline stays (default ${DEFAULT_CANARY_MAX_DURATION_MS} ms)`,
    ),
});
export type CanaryPolicy = z.infer<typeof CanaryPolicy>;

/** The canary policy with its defaults filled in. */
export function canaryRules(policy: CanaryPolicy): CanaryRules {
  return {
    percent: policy.percent,
    minRuns: policy.minRuns ?? DEFAULT_CANARY_MIN_RUNS,
    failureMargin: policy.failureMargin ?? DEFAULT_CANARY_FAILURE_MARGIN,
    scoreMargin: policy.scoreMargin ?? DEFAULT_CANARY_SCORE_MARGIN,
    checkEveryMs: policy.checkEveryMs ?? DEFAULT_CANARY_CHECK_EVERY_MS,
    maxDurationMs: policy.maxDurationMs ?? DEFAULT_CANARY_MAX_DURATION_MS,
  };
}
