import type { CaseRow } from './results.ts';

const headers = ['case', 'metric', 'swarmflow', 'baseline', 'ratio', 'unit'] as const;

/** The rows as a Markdown table, ready for the terminal and for docs/performance.md. */
export function formatTable(rows: readonly CaseRow[]): string {
  const cells = rows.map((line) => [
    line.name,
    line.metric,
    formatValue(line.swarmflow),
    formatValue(line.baseline),
    line.ratio === null ? '–' : `${line.ratio}×`,
    line.unit,
  ]);
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...cells.map((cell) => (cell[column] ?? '').length)),
  );
  const numeric = (column: number) => column >= 2 && column <= 4;
  const format = (cell: readonly string[]) =>
    `| ${cell.map((text, column) => (numeric(column) ? text.padStart(widths[column] ?? 0) : text.padEnd(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => `${'-'.repeat(width + 1)}${numeric(column) ? ':' : '-'}`).join('|')}|`;
  return [format(headers), rule, ...cells.map(format)].join('\n');
}

function formatValue(value: number | null): string {
  return value === null ? 'n/a' : String(value);
}
