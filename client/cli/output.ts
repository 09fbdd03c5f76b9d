import type { RunOutcome, RunState } from '../../schema/run.ts';
import { type ReportContext, runOutcomeError } from '../outcome-errors.ts';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Rows as aligned columns under a header, for listings. */
export function printTable(rows: Record<string, string | number | null>[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const columns = Object.keys(rows[0] as object);
  const cell = (row: Record<string, unknown>, column: string) => String(row[column] ?? '');
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((row) => cell(row, c).length)));
  const line = (values: string[]) =>
    `${values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  process.stdout.write(line(columns.map((c) => c.toUpperCase())));
  for (const row of rows) process.stdout.write(line(columns.map((c) => cell(row, c))));
}

/** The one object `run --json` prints: the outcome, with `error` typed when it did not complete. */
export function runOutcomeJson(outcome: RunOutcome, context: ReportContext = {}) {
  const { parkedOn: _parkedOn, error: _error, ...rest } = outcome;
  const error = runOutcomeError(outcome, context);
  return { ...rest, ...(error === undefined ? {} : { error }) };
}

/** A run's outcome for people: status, error, outputs and the elements it went through. */
export function printOutcome(outcome: RunOutcome | RunState, context: ReportContext = {}): void {
  const lines = [`run ${outcome.runId}: ${outcome.status}`];
  const incident = 'incident' in outcome && outcome.incident ? outcome.incident : undefined;
  if (incident) {
    lines.push(`incident at ${incident.elementId}: ${incident.message}`);
    lines.push(`  fix the data, then: swarmflow runs resolve ${outcome.runId} --set '<json>'`);
  } else if (outcome.status !== 'completed' && !('activeElements' in outcome)) {
    const error = runOutcomeError(outcome, context);
    if (error) {
      lines.push(`error (${error.type}${error.elementId ? ` at ${error.elementId}` : ''}): ${error.message}`);
      if (error.hint) lines.push(`  ${error.hint}`);
    }
  } else if (outcome.error) lines.push(`error: ${outcome.error}`);
  if ('activeElements' in outcome && outcome.activeElements.length > 0) {
    lines.push(`tokens at: ${outcome.activeElements.join(', ')}`);
  }
  lines.push(`outputs: ${JSON.stringify(outcome.outputs)}`);
  lines.push('trace:');
  for (const entry of outcome.trace)
    lines.push(`  ${entry.status.padEnd(10)} ${entry.type.padEnd(16)} ${entry.elementId}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
