import { writeFile } from 'node:fs/promises';
import type { MachineInfo } from './machine.ts';

/**
 * One line of the report. `swarmflow` is what Swarmflow measured, `baseline` what the
 * alternative named in `name` measured; null where a side cannot run the case.
 */
export interface CaseRow {
  name: string;
  metric: string;
  swarmflow: number | null;
  baseline: number | null;
  /** swarmflow / baseline. */
  ratio: number | null;
  unit: string;
}

export interface BenchResults {
  mode: 'quick' | 'full';
  /** `--only`: the text the titles of the cases that ran contain; empty when every case ran. */
  only: string;
  /** `--max-cached-workflows`, or null for the SDK's default. */
  maxCachedWorkflows: number | null;
  startedAt: string;
  durationS: number;
  /** One-minute load averages: other work on the machine makes every number noisier. */
  loadAverage: { atStart: number; afterEachCase: { case: string; oneMinute: number }[] };
  machine: MachineInfo;
  /** Cases that could not finish, with why; their rows are missing. */
  failedCases: string[];
  cases: CaseRow[];
}

/** A row with its ratio computed; values are rounded to what the table can honestly show. */
export function row(
  name: string,
  metric: string,
  swarmflow: number | null,
  baseline: number | null,
  unit: string,
): CaseRow {
  const ratio =
    swarmflow !== null && baseline !== null && baseline !== 0 && Number.isFinite(swarmflow / baseline)
      ? round(swarmflow / baseline)
      : null;
  return { name, metric, swarmflow: roundOrNull(swarmflow), baseline: roundOrNull(baseline), ratio, unit };
}

export async function writeResults(path: string, results: BenchResults): Promise<void> {
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}

function roundOrNull(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : round(value);
}

/** Three significant digits, at most three decimals. */
function round(value: number): number {
  if (value === 0) return 0;
  const digits = Math.max(0, Math.min(3, 2 - Math.floor(Math.log10(Math.abs(value)))));
  return Number(value.toFixed(digits));
}
