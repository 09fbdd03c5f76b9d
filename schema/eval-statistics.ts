/**
 * The arithmetic of eval runs: means, latency percentiles and the confidence interval of a
 * difference of mean scores. Pure and free of zod, so the eval workflow may use it too.
 */

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The nearest-rank percentile (`p` in (0, 100]) of `values`; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1);
}

/** t(0.975) for 1..30 degrees of freedom. */
const T_975 = [
  12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604,
  2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555,
  2.0518, 2.0484, 2.0452, 2.0423,
];

/**
 * The two-sided 95% critical value of Student's t with `df` degrees of freedom: a table up to 30
 * (a fractional df, as Welch's, rounds down, which widens the interval), above it the
 * Cornish-Fisher expansion around the normal quantile (accurate to 1e-4 there).
 */
export function tCritical95(df: number): number {
  if (!(df >= 1)) return Number.POSITIVE_INFINITY;
  if (df <= 30) return T_975[Math.floor(df) - 1] as number;
  const z = 1.959963985;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3;
}

export interface MeanDifference {
  /** mean(b) - mean(a). */
  difference: number;
  low: number;
  high: number;
}

/**
 * Paired t: the 95% interval of the mean of `b[i] - a[i]`. With fewer than two pairs the interval
 * is the widest a difference of scores in [0, 1] can have.
 */
export function pairedDifference(a: readonly number[], b: readonly number[]): MeanDifference {
  const differences = a.map((value, index) => (b[index] as number) - value);
  const difference = mean(differences);
  if (differences.length < 2) return { difference, low: -1, high: 1 };
  const half =
    tCritical95(differences.length - 1) * Math.sqrt(sampleVariance(differences) / differences.length);
  return clamp(difference, half);
}

/** Welch's t: the 95% interval of mean(b) - mean(a) for two independent samples. */
export function welchDifference(a: readonly number[], b: readonly number[]): MeanDifference {
  const difference = mean(b) - mean(a);
  if (a.length < 2 || b.length < 2) return { difference, low: -1, high: 1 };
  const va = sampleVariance(a) / a.length;
  const vb = sampleVariance(b) / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { difference, low: difference, high: difference };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return clamp(difference, tCritical95(df) * se);
}

/** The interval around `difference`, kept within [-1, 1] where differences of scores live. */
function clamp(difference: number, half: number): MeanDifference {
  return { difference, low: Math.max(-1, difference - half), high: Math.min(1, difference + half) };
}
