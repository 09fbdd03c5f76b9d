/**
 * The Temporal SDK core metric families the dashboard and alert rules use, as the worker's
 * `/metrics` names them (core's Prometheus exporter with `_total` counters and durations in
 * seconds: see workers/temporal-runtime.ts). The worker metrics integration test checks that a
 * worker exports each of them after one run.
 */
export const temporalMetricFamilies = [
  'temporal_workflow_task_schedule_to_start_latency_seconds',
  'temporal_workflow_completed_total',
  'temporal_activity_execution_latency_seconds',
] as const;
