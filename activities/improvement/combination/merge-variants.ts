import { canonicalJson } from '../../../schema/canonical-json.ts';
import type { ScorerResult } from '../../../schema/evaluation.ts';
import type { Variables } from '../../../schema/json.ts';
import type { RoutineDefinition, SequenceStep } from '../../../schema/routine.ts';

/** A version of a routine with its scored cases (an eval's, or the evidence's). */
export interface ScoredVariant {
  version: number;
  definition: RoutineDefinition;
  cases: readonly { input: Variables; score: number; reasons: readonly ScorerResult[] }[];
}

/** A merged definition and where each step that differed came from. */
export interface MergedVariants {
  definition: RoutineDefinition;
  /** The differing steps, each with the version it was taken from. */
  picks: { stepId: string; version: number }[];
}

/**
 * Merges the steps of two variants of a sequence routine, taking each differing step from the
 * variant that did better where it mattered. The rule:
 *
 * - Both are sequence routines with the same step ids in the same order; a step differs when its
 *   content does. Otherwise (another shape, or nothing differs) there is nothing to merge.
 * - Cases pair up by input (canonical JSON); with no paired case there is no evidence: no merge.
 * - For each differing step: when both variants' cases carry that step's own scores (eval reasons
 *   named `<stepId>/<scorer>`), compare the two variants' mean step score over the paired cases
 *   where those step scores differ; otherwise compare the mean case score over the paired cases
 *   where the case scores differ. The higher takes the step; a tie (or no such case) goes to the
 *   variant with the higher mean case score over all paired cases, `a` when that ties too.
 * - Everything else (schemas, limits, strategy, evaluation) comes from that overall better variant.
 * - A merge that takes every differing step from one variant is that variant: no merge.
 *
 * Pure; `a` is usually the baseline.
 */
export function mergeVariants(a: ScoredVariant, b: ScoredVariant): MergedVariants | undefined {
  const stepsA = sequenceSteps(a.definition);
  const stepsB = sequenceSteps(b.definition);
  if (!stepsA || !stepsB || stepsA.length !== stepsB.length) return undefined;
  if (stepsA.some((step, index) => step.id !== stepsB[index]?.id)) return undefined;
  const differing = stepsA.flatMap((step, index) =>
    canonicalJson(step) === canonicalJson(stepsB[index]) ? [] : [step.id],
  );
  if (differing.length === 0) return undefined;
  const pairs = pairCases(a, b);
  if (pairs.length === 0) return undefined;
  const overall = mean(pairs.map(([x]) => x.score)) >= mean(pairs.map(([, y]) => y.score)) ? a : b;
  const picks = differing.map((stepId) => ({
    stepId,
    version: stepWinner(stepId, pairs, a, b) ?? overall.version,
  }));
  const fromB = new Set(picks.filter((pick) => pick.version === b.version).map((pick) => pick.stepId));
  if (fromB.size === 0 || fromB.size === picks.length) return undefined;
  const steps = stepsA.map((step, index) => (fromB.has(step.id) ? (stepsB[index] as SequenceStep) : step));
  return { definition: { ...overall.definition, body: { kind: 'sequence', steps } }, picks };
}

type Case = ScoredVariant['cases'][number];

function stepWinner(
  stepId: string,
  pairs: [Case, Case][],
  a: ScoredVariant,
  b: ScoredVariant,
): number | undefined {
  const stepPairs = pairs.flatMap(([x, y]) => {
    const sx = stepScore(x, stepId);
    const sy = stepScore(y, stepId);
    return sx === undefined || sy === undefined ? [] : [[sx, sy] as const];
  });
  const scored: (readonly [number, number])[] =
    stepPairs.length > 0 ? stepPairs : pairs.map(([x, y]) => [x.score, y.score] as const);
  const where = scored.filter(([x, y]) => x !== y);
  if (where.length === 0) return undefined;
  const [meanA, meanB] = [mean(where.map(([x]) => x)), mean(where.map(([, y]) => y))];
  return meanA === meanB ? undefined : meanA > meanB ? a.version : b.version;
}

/** The mean of a case's reasons for one step (`<stepId>/<scorer>`), weighted; undefined without any. */
function stepScore(evalCase: Case, stepId: string): number | undefined {
  const reasons = evalCase.reasons.filter((reason) => reason.name.startsWith(`${stepId}/`));
  if (reasons.length === 0) return undefined;
  const weight = reasons.reduce((sum, reason) => sum + reason.weight, 0);
  return reasons.reduce((sum, reason) => sum + reason.score * reason.weight, 0) / weight;
}

function pairCases(a: ScoredVariant, b: ScoredVariant): [Case, Case][] {
  const byInput = new Map(b.cases.map((evalCase) => [canonicalJson(evalCase.input), evalCase]));
  return a.cases.flatMap((evalCase) => {
    const other = byInput.get(canonicalJson(evalCase.input));
    return other ? [[evalCase, other] as [Case, Case]] : [];
  });
}

function sequenceSteps(definition: RoutineDefinition): SequenceStep[] | undefined {
  return definition.body.kind === 'sequence' ? definition.body.steps : undefined;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
