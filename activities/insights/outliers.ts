import type { OutlierGroup, OutlierMetric } from '../../schema/insights.ts';

export interface MetricSample {
  runId: string;
  /** The element measured, or "(run)" for the whole run. */
  elementId: string;
  value: number;
}

export interface OutlierRule {
  /** How many deviations above the median an outlier is; default 3. */
  k?: number;
  /** Elements with fewer samples are not judged; default 5. */
  minSamples?: number;
  /** The deviation's floor as a share of the median, so near-identical samples do not make every small excess an outlier; default 0.05. */
  floorShare?: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Per element, the samples above `median + k × max(MAD, floorShare × median)` (MAD: the median
 * absolute deviation from the median, robust to the outliers themselves). Elements with outliers
 * only, most outliers first; each element's outliers largest first. A run measured twice for one
 * element (a loop) counts as two samples. Pure.
 */
export function findOutliers(
  samples: readonly MetricSample[],
  metric: OutlierMetric,
  { k = 3, minSamples = 5, floorShare = 0.05 }: OutlierRule = {},
): OutlierGroup[] {
  const byElement = new Map<string, MetricSample[]>();
  for (const sample of samples) {
    if (!Number.isFinite(sample.value)) continue;
    const list = byElement.get(sample.elementId) ?? [];
    list.push(sample);
    byElement.set(sample.elementId, list);
  }
  const groups: OutlierGroup[] = [];
  for (const [elementId, list] of byElement) {
    if (list.length < minSamples) continue;
    const values = list.map((s) => s.value);
    const mid = median(values);
    const mad = median(values.map((v) => Math.abs(v - mid)));
    const threshold = mid + k * Math.max(mad, floorShare * Math.abs(mid));
    const outliers = list
      .filter((s) => s.value > threshold)
      .sort((a, b) => b.value - a.value || a.runId.localeCompare(b.runId))
      .map(({ runId, value }) => ({ runId, value }));
    if (outliers.length > 0)
      groups.push({ elementId, metric, samples: list.length, median: mid, mad, threshold, outliers });
  }
  return groups.sort(
    (a, b) => b.outliers.length - a.outliers.length || a.elementId.localeCompare(b.elementId),
  );
}
