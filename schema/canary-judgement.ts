/**
 * How a canary release is judged: plain types and a pure function, since improvementWorkflow
 * judges each time it looks.
 */

/** The live record of one version's runs since the canary started. */
export interface VersionLiveRecord {
  version: number;
  /** Runs that ended (completed, failed, incident, terminated, timed out). */
  ended: number;
  /** Of those, the runs that did not complete. */
  failed: number;
  /** The mean live score of its scored runs, or null when none is scored. */
  score: number | null;
  scored: number;
}

export interface CanaryHealth {
  baseline: VersionLiveRecord;
  canary: VersionLiveRecord;
}

/** The canary policy with its defaults filled in. */
export interface CanaryRules {
  percent: number;
  minRuns: number;
  failureMargin: number;
  scoreMargin: number;
  checkEveryMs: number;
  maxDurationMs: number;
}

export type CanaryVerdict =
  /** The candidate fell behind: the baseline keeps all traffic. */
  | { verdict: 'rollback'; why: string }
  /** Enough of its runs held up: the candidate becomes active. */
  | { verdict: 'promote'; why: string }
  /** Too few runs yet to tell. */
  | { verdict: 'wait'; why: string }
  /** The canary ran out of time before enough runs: the baseline stays, to be safe. */
  | { verdict: 'inconclusive'; why: string };

const rate = (record: VersionLiveRecord) => (record.ended === 0 ? 0 : record.failed / record.ended);
const percent = (value: number) => `${Math.round(value * 1000) / 10}%`;
const describe = (record: VersionLiveRecord) =>
  `v${record.version}: ${record.failed} of ${record.ended} runs failed (${percent(rate(record))})` +
  (record.score === null ? '' : `, mean score ${record.score.toFixed(3)} over ${record.scored}`);

/**
 * Judges a canary from the two versions' live records. A rise in failures rolls back as soon as the
 * candidate has `minRuns` ended runs, or earlier when its failures alone already exceed what
 * `minRuns` runs could excuse; a drop in mean live score needs `minRuns` scored runs of each. It is
 * promoted when it has `minRuns` ended runs and neither holds; after `maxDurationMs` without enough
 * runs it is inconclusive.
 */
export function judgeCanary(health: CanaryHealth, rules: CanaryRules, elapsedMs: number): CanaryVerdict {
  const { baseline, canary } = health;
  const both = `${describe(canary)}; ${describe(baseline)}`;
  const failureRise = rate(canary) - rate(baseline);
  const allowedFailures = Math.floor(rules.minRuns * (rate(baseline) + rules.failureMargin));
  if (
    (canary.ended >= rules.minRuns && failureRise > rules.failureMargin) ||
    canary.failed > allowedFailures
  ) {
    return {
      verdict: 'rollback',
      why: `its live failure rate rose by ${percent(failureRise)}, more than the margin ${percent(rules.failureMargin)} (${both})`,
    };
  }
  if (
    canary.score !== null &&
    baseline.score !== null &&
    canary.scored >= rules.minRuns &&
    baseline.scored >= rules.minRuns &&
    baseline.score - canary.score > rules.scoreMargin
  ) {
    return {
      verdict: 'rollback',
      why: `its mean live score fell by ${(baseline.score - canary.score).toFixed(3)}, more than the margin ${rules.scoreMargin} (${both})`,
    };
  }
  if (canary.ended >= rules.minRuns) {
    return { verdict: 'promote', why: `its live runs held up against the baseline's (${both})` };
  }
  if (elapsedMs >= rules.maxDurationMs) {
    return {
      verdict: 'inconclusive',
      why: `only ${canary.ended} of the ${rules.minRuns} runs needed ended within ${rules.maxDurationMs} ms (${both})`,
    };
  }
  return { verdict: 'wait', why: `${canary.ended} of ${rules.minRuns} runs ended (${both})` };
}
