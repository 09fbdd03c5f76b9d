/** Lines of context around each change in a unified diff. */
const CONTEXT = 3;
/** Above this many line pairs the diff is not computed (the table would not fit in memory). */
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

/**
 * A unified diff (`---`/`+++` headers, `@@ -a,n +b,m @@` hunks) of two texts by line, from
 * their longest common subsequence; empty when they are equal. Pure. Texts of more than
 * MAX_CELLS line pairs get a one-line note instead of hunks.
 */
export function unifiedDiff(before: string, after: string, labels = { from: 'a', to: 'b' }): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  const header = `--- ${labels.from}\n+++ ${labels.to}\n`;
  if (a.length * b.length > MAX_CELLS) {
    return `${header}@@ the sources differ (${a.length} and ${b.length} lines: too long to diff line by line) @@\n`;
  }
  return header + hunks(operations(a, b)).join('');
}

function operations(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lengths[i] as Uint32Array;
    const below = lengths[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) {
      row[j] =
        a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i] as string, a: i++, b: j++ });
    } else if (i < n && (j === m || (lengths[i + 1]?.[j] ?? 0) >= (lengths[i]?.[j + 1] ?? 0))) {
      // Removals before additions, as diff(1) prints them.
      ops.push({ kind: '-', line: a[i] as string, a: i++, b: j });
    } else {
      ops.push({ kind: '+', line: b[j] as string, a: i, b: j++ });
    }
  }
  return ops;
}

function hunks(ops: Op[]): string[] {
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  const out: string[] = [];
  let index = 0;
  while (index < changed.length) {
    const first = changed[index] as number;
    let last = first;
    // Changes closer than twice the context share a hunk.
    while (index + 1 < changed.length && (changed[index + 1] as number) - last <= 2 * CONTEXT) {
      index += 1;
      last = changed[index] as number;
    }
    index += 1;
    const slice = ops.slice(Math.max(0, first - CONTEXT), Math.min(ops.length, last + CONTEXT + 1));
    const start = slice[0] as Op;
    const aCount = slice.filter((op) => op.kind !== '+').length;
    const bCount = slice.filter((op) => op.kind !== '-').length;
    const aStart = aCount === 0 ? start.a : start.a + 1;
    const bStart = bCount === 0 ? start.b : start.b + 1;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@\n`);
    for (const op of slice) out.push(`${op.kind}${op.line}\n`);
  }
  return out;
}
