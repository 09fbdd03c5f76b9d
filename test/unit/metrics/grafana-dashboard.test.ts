import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportedFamilies, familiesIn } from './metric-references.ts';

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(
  readFileSync(new URL('../../../deploy/grafana/swarmflow-dashboard.json', import.meta.url), 'utf8'),
) as { uid: string; title: string; panels: Panel[] };

describe('the Grafana dashboard', () => {
  const panels = dashboard.panels.filter((panel) => panel.type !== 'row');

  it('is a dashboard with panels', () => {
    expect(dashboard.uid).toBe('swarmflow-overview');
    expect(panels.length).toBeGreaterThan(10);
  });

  it('names in every panel’s queries only metric families we export, at least one each', () => {
    for (const panel of panels) {
      const families = (panel.targets ?? []).flatMap((target) => familiesIn(target.expr));
      expect(families.length, `panel "${panel.title}" queries no metric`).toBeGreaterThan(0);
      for (const family of families)
        expect(exportedFamilies.has(family), `panel "${panel.title}" names ${family}`).toBe(true);
    }
  });

  it('shows runs, steps, tokens, credits, failures, incidents, breakers and improvement cycles', () => {
    const shown = new Set(
      panels.flatMap((panel) => (panel.targets ?? []).flatMap((t) => familiesIn(t.expr))),
    );
    for (const family of [
      'swarmflow_runs_started_total',
      'swarmflow_runs_ended_total',
      'swarmflow_step_duration_seconds',
      'swarmflow_llm_tokens_total',
      'swarmflow_llm_credits_total',
      'swarmflow_incidents_open',
      'swarmflow_circuit_breaker_state',
      'swarmflow_improvement_cycles_total',
    ])
      expect(shown.has(family), family).toBe(true);
  });
});
