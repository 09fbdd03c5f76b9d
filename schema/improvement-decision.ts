import { mean, pairedDifference } from './eval-statistics.ts';

/**
 * The improvement loop's decision rule. Pure and free of zod, so the improvement workflow uses it.
 *
 * A candidate is promoted only when the eval shows it is better, counting the uncertainty: the
 * paired 95% confidence interval of (candidate − baseline) per case lies above 0 at no more cost
 * per run; or the interval lies within ±margin (the same score) and the candidate costs at least
 * COST_MARGIN less per run. Anything else is rejected, with a reason that names the numbers.
 */

/** "Lower cost" means at least 5% cheaper per run. */
export const COST_MARGIN = 0.05;

export interface EvaluatedVersion {
  version: number;
  /** Case scores in [0, 1], in the validation split's order: both sides ran the same cases. */
  scores: readonly number[];
  /** Mean credits per case run. */
  costPerRun: number;
}

export interface DecisionStatistics {
  baselineScore: number;
  candidateScore: number;
  baselineCostPerRun: number;
  candidateCostPerRun: number;
  /** Candidate minus baseline, with its paired 95% interval. */
  difference: number;
  low: number;
  high: number;
  pairs: number;
  margin: number;
}

export interface Decision extends DecisionStatistics {
  verdict: 'promote' | 'reject';
  why: string;
}

export function decide(baseline: EvaluatedVersion, candidate: EvaluatedVersion, margin: number): Decision {
  const pairs = Math.min(baseline.scores.length, candidate.scores.length);
  const interval = pairedDifference(baseline.scores.slice(0, pairs), candidate.scores.slice(0, pairs));
  const statistics: DecisionStatistics = {
    baselineScore: mean(baseline.scores),
    candidateScore: mean(candidate.scores),
    baselineCostPerRun: baseline.costPerRun,
    candidateCostPerRun: candidate.costPerRun,
    difference: interval.difference,
    low: interval.low,
    high: interval.high,
    pairs,
    margin,
  };
  const score = `score ${fixed(statistics.candidateScore)} vs ${fixed(statistics.baselineScore)} (difference ${signed(interval.difference)}, 95% CI ${signed(interval.low)} to ${signed(interval.high)}, ${pairs} paired cases)`;
  const cost = `cost per run ${fixed(candidate.costPerRun)} vs ${fixed(baseline.costPerRun)}`;
  const noDearer = candidate.costPerRun <= baseline.costPerRun;
  const cheaper = candidate.costPerRun <= baseline.costPerRun * (1 - COST_MARGIN);
  const equivalent = interval.low >= -margin && interval.high <= margin;
  const reject = (why: string): Decision => ({ ...statistics, verdict: 'reject', why });
  if (pairs !== baseline.scores.length || pairs !== candidate.scores.length) {
    return reject(`the evals ran different cases (${baseline.scores.length} vs ${candidate.scores.length})`);
  }
  if (pairs < 2)
    return reject(`too few cases to measure: ${pairs} (give the dataset at least 2 validation cases)`);
  if (interval.low > 0) {
    if (noDearer)
      return { ...statistics, verdict: 'promote', why: `better: ${score}, at no more cost: ${cost}` };
    return reject(`better but dearer: ${score}; ${cost}`);
  }
  if (equivalent) {
    if (cheaper) {
      return {
        ...statistics,
        verdict: 'promote',
        why: `the same score within ±${fixed(margin)}: ${score}, at lower cost: ${cost}`,
      };
    }
    return reject(
      `the same score within ±${fixed(margin)} but not cheaper by ${COST_MARGIN * 100}%: ${score}; ${cost}`,
    );
  }
  if (interval.high < 0) return reject(`worse: ${score}; ${cost}`);
  return reject(
    `not shown better: the interval includes 0 and is wider than ±${fixed(margin)}: ${score}; ${cost}`,
  );
}

function fixed(value: number): string {
  return Number(value.toFixed(4)).toString();
}

function signed(value: number): string {
  return value > 0 ? `+${fixed(value)}` : fixed(value);
}
