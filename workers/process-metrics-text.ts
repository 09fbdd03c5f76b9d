import type { SwarmflowMetrics } from '../activities/metrics/swarmflow-metrics.ts';
import { installedTemporalRuntime, scrapeTemporalMetrics } from './temporal-runtime.ts';

/** Prometheus text expositions one after the other, each ending in a newline. */
export function joinExpositions(...parts: string[]): string {
  return parts
    .filter((part) => part.trim() !== '')
    .map((part) => (part.endsWith('\n') ? part : `${part}\n`))
    .join('');
}

/** The process's `/metrics`: Swarmflow's metrics, then the Temporal core's when its exporter runs. */
export async function processMetricsText(metrics: SwarmflowMetrics): Promise<string> {
  const [ours, core] = await Promise.all([
    metrics.registry.metrics(),
    scrapeTemporalMetrics(installedTemporalRuntime()?.prometheusAddress),
  ]);
  return joinExpositions(ours, core);
}
