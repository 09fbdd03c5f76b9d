import type { RunOutcome, RunState } from '../../schema/run.ts';

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

/** A run's outcome for people: status, error, outputs and the elements it went through. */
export function printOutcome(outcome: RunOutcome | RunState): void {
  const lines = [`run ${outcome.runId}: ${outcome.status}`];
  if (outcome.error) lines.push(`error: ${outcome.error}`);
  if ('incident' in outcome && outcome.incident) {
    lines.push(`incident at ${outcome.incident.elementId}: ${outcome.incident.message}`);
    lines.push(`  fix the data, then: swarmflow runs resolve ${outcome.runId} --set '<json>'`);
  }
  if ('activeElements' in outcome && outcome.activeElements.length > 0) {
    lines.push(`tokens at: ${outcome.activeElements.join(', ')}`);
  }
  lines.push(`outputs: ${JSON.stringify(outcome.outputs)}`);
  lines.push('trace:');
  for (const entry of outcome.trace)
    lines.push(`  ${entry.status.padEnd(10)} ${entry.type.padEnd(16)} ${entry.elementId}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
