import { register as defaultRegister } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { observeApprovalDecision } from '../../../activities/metrics/approval-decision.ts';
import { processMetrics } from '../../../activities/metrics/process-metrics.ts';
import { breakerStateSamples, watchCircuitBreakers } from '../../../activities/metrics/state-gauges.ts';
import { stepTaskType } from '../../../activities/metrics/step-task-type.ts';
import {
  createSwarmflowMetrics,
  swarmflowMetricNames,
} from '../../../activities/metrics/swarmflow-metrics.ts';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';

describe('Swarmflow metrics', () => {
  it('live on a registry of their own, never on prom-client’s global one', async () => {
    const a = createSwarmflowMetrics();
    const b = createSwarmflowMetrics();
    a.runsStarted.inc({ routine: 'triage' });
    expect(await a.registry.getSingleMetricAsString('swarmflow_runs_started_total')).toContain(
      'swarmflow_runs_started_total{routine="triage"} 1',
    );
    expect(await b.registry.getSingleMetricAsString('swarmflow_runs_started_total')).not.toContain('triage');
    expect(defaultRegister.getMetricsAsArray().filter((m) => m.name.startsWith('swarmflow_'))).toEqual([]);
  });

  it('are named as Prometheus asks: swarmflow_ prefix, counters in _total, durations in _seconds', () => {
    const metrics = createSwarmflowMetrics().registry.getMetricsAsArray();
    for (const metric of metrics) {
      expect(metric.name).toMatch(/^swarmflow_[a-z_]+$/);
      const type = (metric as unknown as { type: string }).type;
      if (type === 'counter') expect(metric.name).toMatch(/_total$/);
      if (/duration|latency/.test(metric.name)) expect(metric.name).toMatch(/_seconds$/);
    }
    expect(swarmflowMetricNames()).toEqual(metrics.map((m) => m.name));
  });

  it('the process keeps one set', () => {
    expect(processMetrics()).toBe(processMetrics());
  });
});

describe('circuit breaker state', () => {
  it('is 1 for each breaker’s state and 0 for its others', () => {
    expect(breakerStateSamples({ 'mcp files': 'open' })).toEqual([
      { labels: { dependency: 'mcp files', state: 'closed' }, value: 0 },
      { labels: { dependency: 'mcp files', state: 'open' }, value: 1 },
      { labels: { dependency: 'mcp files', state: 'half-open' }, value: 0 },
    ]);
  });

  it('is read from the watched breakers at scrape time', async () => {
    const metrics = createSwarmflowMetrics();
    const breakers = new CircuitBreakers({ failureThreshold: 1, coolDownMs: 60_000 });
    watchCircuitBreakers(metrics, breakers);
    await breakers.for('llm http://models').run(() => Promise.resolve('fine'));
    let text = await metrics.registry.getSingleMetricAsString('swarmflow_circuit_breaker_state');
    expect(text).toContain(
      'swarmflow_circuit_breaker_state{dependency="llm http://models",state="closed"} 1',
    );
    await breakers
      .for('llm http://models')
      .run(() => Promise.reject(new Error('down')))
      .catch(() => {});
    text = await metrics.registry.getSingleMetricAsString('swarmflow_circuit_breaker_state');
    expect(text).toContain('swarmflow_circuit_breaker_state{dependency="llm http://models",state="open"} 1');
    expect(text).toContain(
      'swarmflow_circuit_breaker_state{dependency="llm http://models",state="closed"} 0',
    );
  });
});

describe('stepTaskType', () => {
  it('names a service task by its type, an MCP task by its server, others by their kind', () => {
    expect(stepTaskType({ kind: 'service', taskType: 'http', headers: {} })).toBe('http');
    expect(stepTaskType({ kind: 'service', taskType: 'mcp:files/read_file', headers: {} })).toBe('mcp:files');
    expect(stepTaskType({ kind: 'script', expression: '1', resultVariable: 'x' })).toBe('script');
  });
});

describe('observeApprovalDecision', () => {
  it('records the time from the request to the decision', async () => {
    const before = await processMetrics().approvalDecision.get();
    const countOf = (values: typeof before.values) =>
      values.find(
        (v) => v.metricName === 'swarmflow_approval_decision_seconds_sum' && v.labels.decision === 'approved',
      )?.value ?? 0;
    observeApprovalDecision(
      { requestedAt: '2026-01-01T00:00:00.000Z' },
      true,
      Date.parse('2026-01-01T00:01:30Z'),
    );
    const after = await processMetrics().approvalDecision.get();
    expect(countOf(after.values) - countOf(before.values)).toBe(90);
  });
});
