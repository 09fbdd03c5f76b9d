import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Buckets for step and call durations, in seconds: 10 ms to 10 minutes. */
const durationBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
/** Buckets for a person's decision time, in seconds: 10 s to a week. */
const decisionBuckets = [10, 60, 300, 900, 3_600, 4 * 3_600, 24 * 3_600, 7 * 24 * 3_600];
/** Scores are 0..1. */
const scoreBuckets = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/**
 * Swarmflow's own metrics, on a registry of their own (never prom-client's global default one).
 * A process keeps one (see processMetrics); tests make their own. Gauges whose value lives
 * elsewhere (breakers, open incidents, pending approvals) are read at scrape time: see
 * state-gauges.ts.
 */
export function createSwarmflowMetrics() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    runsStarted: new Counter({
      name: 'swarmflow_runs_started_total',
      help: 'Runs started, by routine.',
      labelNames: ['routine'] as const,
      registers,
    }),
    runsEnded: new Counter({
      name: 'swarmflow_runs_ended_total',
      help: 'Runs ended, by routine and status (completed, failed, cancelled).',
      labelNames: ['routine', 'status'] as const,
      registers,
    }),
    incidentsOpened: new Counter({
      name: 'swarmflow_incidents_opened_total',
      help: 'Times a run was parked on an incident.',
      registers,
    }),
    budgetsExhausted: new Counter({
      name: 'swarmflow_budget_exhausted_total',
      help: 'Times a run paused because one of its budgets (credits, tokens, steps, time) ran out.',
      labelNames: ['scope'] as const,
      registers,
    }),
    stepDuration: new Histogram({
      name: 'swarmflow_step_duration_seconds',
      help: 'Wall time of a run step, by task type (a service task type, script or llm), strategy and status.',
      labelNames: ['task_type', 'strategy', 'status'] as const,
      buckets: durationBuckets,
      registers,
    }),
    llmTokens: new Counter({
      name: 'swarmflow_llm_tokens_total',
      help: "Tokens of runs' LLM steps, by model, tenant and direction (input, output).",
      labelNames: ['model', 'tenant', 'direction'] as const,
      registers,
    }),
    llmCredits: new Counter({
      name: 'swarmflow_llm_credits_total',
      help: "Credits charged for runs' LLM steps, by model and tenant.",
      labelNames: ['model', 'tenant'] as const,
      registers,
    }),
    approvalsPending: new Gauge({
      name: 'swarmflow_approvals_pending',
      help: 'Running runs with tool calls waiting for approval (all tenants; read from Temporal at scrape time).',
      registers,
    }),
    approvalDecision: new Histogram({
      name: 'swarmflow_approval_decision_seconds',
      help: 'Time from a tool call asking for approval to its decision, by decision.',
      labelNames: ['decision'] as const,
      buckets: decisionBuckets,
      registers,
    }),
    incidentsOpen: new Gauge({
      name: 'swarmflow_incidents_open',
      help: 'Runs parked on an incident now (all tenants; read from the database at scrape time).',
      registers,
    }),
    circuitBreakerState: new Gauge({
      name: 'swarmflow_circuit_breaker_state',
      help: "1 for each breaker's current state (closed, open, half-open), 0 for the others.",
      labelNames: ['dependency', 'state'] as const,
      registers,
    }),
    mcpCallDuration: new Histogram({
      name: 'swarmflow_mcp_call_duration_seconds',
      help: 'MCP tool calls, by server, tool and outcome (ok, error).',
      labelNames: ['server', 'tool', 'outcome'] as const,
      buckets: durationBuckets,
      registers,
    }),
    mcpCallErrors: new Counter({
      name: 'swarmflow_mcp_call_errors_total',
      help: 'MCP tool calls that failed, by server and tool.',
      labelNames: ['server', 'tool'] as const,
      registers,
    }),
    scores: new Histogram({
      name: 'swarmflow_score',
      help: 'Scores given to runs (0..1), by source (live, eval, feedback, approval, userTask) and scorer.',
      labelNames: ['source', 'scorer'] as const,
      buckets: scoreBuckets,
      registers,
    }),
    improvementCycles: new Counter({
      name: 'swarmflow_improvement_cycles_total',
      help: 'Improvement cycles that gathered evidence, by routine.',
      labelNames: ['routine'] as const,
      registers,
    }),
    improvementDecisions: new Counter({
      name: 'swarmflow_improvement_decisions_total',
      help: 'Decisions on improvement proposals (approved, rejected, promoted, rolled back...).',
      labelNames: ['decision'] as const,
      registers,
    }),
  };
}

export type SwarmflowMetrics = ReturnType<typeof createSwarmflowMetrics>;

/** The metric families Swarmflow exports (the dashboard and alert tests check against these). */
export function swarmflowMetricNames(): string[] {
  return createSwarmflowMetrics()
    .registry.getMetricsAsArray()
    .map((metric) => metric.name);
}
