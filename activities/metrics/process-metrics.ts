import { createSwarmflowMetrics, type SwarmflowMetrics } from './swarmflow-metrics.ts';

let current: SwarmflowMetrics | undefined;

/**
 * The process's metrics: one registry per process, made on first use. Activities, the read-model
 * writes and the API server record into it; `/metrics` serves it. Recording is in memory only.
 */
export function processMetrics(): SwarmflowMetrics {
  current ??= createSwarmflowMetrics();
  return current;
}
