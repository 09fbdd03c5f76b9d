import { swarmflowMetricNames } from '../../../activities/metrics/swarmflow-metrics.ts';
import { temporalMetricFamilies } from '../../../activities/metrics/temporal-metric-families.ts';

/** Every metric family a dashboard or rule may name: ours and the Temporal core's we rely on. */
export const exportedFamilies = new Set<string>([...swarmflowMetricNames(), ...temporalMetricFamilies]);

/** The metric families a PromQL expression names (a histogram's _bucket/_sum/_count as its family). */
export function familiesIn(expr: string): string[] {
  const names = expr.match(/\b(?:swarmflow|temporal)_[a-z0-9_]+/g) ?? [];
  return [
    ...new Set(
      names.map((name) => {
        const family = name.replace(/_(bucket|sum|count)$/, '');
        return exportedFamilies.has(name) ? name : family;
      }),
    ),
  ];
}
