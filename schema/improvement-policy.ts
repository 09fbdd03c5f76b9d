import { z } from 'zod';
import { CanaryPolicy } from './canary-policy.ts';
import { OptimizerName } from './optimizer-name.ts';

/** The default optimizers of a cycle: those that need no LLM of their own first. */
export const DEFAULT_OPTIMIZERS: readonly OptimizerName[] = ['modelSelection'];

/** The default credit budget of one improvement cycle. */
export const DEFAULT_CYCLE_BUDGET_CREDITS = 100;

/** The default equivalence margin of the decision rule: score differences within ±0.02 count as the same. */
export const DEFAULT_MARGIN = 0.02;

/**
 * A routine's `improvement` section: how its improvement cycles run. Without it, cycles use the
 * defaults and never promote on their own (a person decides each proposal).
 */
export const ImprovementPolicy = z.strictObject({
  autoPromote: z
    .boolean()
    .optional()
    .describe('promote a candidate the eval shows better without waiting for a person (default false)'),
  budgetCredits: z
    .number()
    .positive()
    .optional()
    .describe(
      `credits one cycle may spend on optimizers and eval runs (default ${DEFAULT_CYCLE_BUDGET_CREDITS})`,
    ),
  maxMetricCalls: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'the most eval case runs (metric calls) one cycle may make, the baseline’s included; a cycle that would exceed it stops (default: only credits count)',
    ),
  optimizers: z
    .array(OptimizerName)
    .min(1)
    .optional()
    .describe('the optimizers to ask (default modelSelection)'),
  dataset: z
    .string()
    .min(1)
    .optional()
    .describe("the stored dataset to evaluate on (default: one built from the routine's recent good runs)"),
  margin: z
    .number()
    .min(0)
    .max(0.5)
    .optional()
    .describe(`score differences within ±margin count as equal (default ${DEFAULT_MARGIN})`),
  canary: CanaryPolicy.optional().describe(
    'release a promoted or approved candidate to a share of new runs first, and roll it back if its live runs fall behind',
  ),
});
export type ImprovementPolicy = z.infer<typeof ImprovementPolicy>;
