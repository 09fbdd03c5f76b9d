import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportedFamilies, familiesIn } from './metric-references.ts';

const rulesPath = fileURLToPath(new URL('../../../deploy/prometheus/alerts.yaml', import.meta.url));
const ensurePromtool = fileURLToPath(new URL('../../../scripts/ensure-promtool.sh', import.meta.url));

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules = parse(readFileSync(rulesPath, 'utf8')) as { groups: { name: string; rules: Rule[] }[] };

describe('the Prometheus alert rules', () => {
  const all = rules.groups.flatMap((group) => group.rules);

  it('are groups of named alerts, each with an expression, a severity and a summary', () => {
    expect(rules.groups.length).toBeGreaterThan(0);
    for (const group of rules.groups) {
      expect(group.name).toMatch(/^swarmflow-/);
      expect(group.rules.length).toBeGreaterThan(0);
    }
    for (const rule of all) {
      expect(rule.alert).toMatch(/^Swarmflow[A-Za-z]+$/);
      expect(typeof rule.expr).toBe('string');
      expect(['info', 'warning', 'critical']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
    }
    expect(new Set(all.map((rule) => rule.alert)).size).toBe(all.length);
  });

  it('cover slow workflow tasks, run failures, incidents, budgets and open breakers, on metrics we export', () => {
    const named = all.flatMap((rule) => familiesIn(rule.expr ?? ''));
    for (const family of named) expect(exportedFamilies.has(family), family).toBe(true);
    for (const family of [
      'temporal_workflow_task_schedule_to_start_latency_seconds',
      'swarmflow_runs_ended_total',
      'swarmflow_incidents_open',
      'swarmflow_budget_exhausted_total',
      'swarmflow_circuit_breaker_state',
    ])
      expect(named, family).toContain(family);
  });

  const promtool = spawnSync('bash', [ensurePromtool], { encoding: 'utf8', timeout: 300_000 });
  const promtoolPath = promtool.status === 0 ? promtool.stdout.trim().split('\n').at(-1) : undefined;

  it.skipIf(promtoolPath === undefined)(
    `pass promtool check rules${promtoolPath === undefined ? ` (skipped: promtool cannot be installed: ${promtool.stderr.trim().split('\n').at(-1) ?? promtool.error?.message})` : ''}`,
    () => {
      const check = spawnSync(promtoolPath as string, ['check', 'rules', rulesPath], { encoding: 'utf8' });
      expect(check.stdout + check.stderr).toContain('SUCCESS');
      expect(check.status).toBe(0);
    },
  );
});
