import type { FailureCluster } from '../../schema/insights.ts';

export interface RecordedFailure {
  runId: string;
  elementId: string;
  error: string;
  at: Date;
}

/**
 * An error message with what varies from failure to failure masked, so failures of one cause
 * group together: UUIDs and long hex ids become `<id>`, ISO times `<time>`, quoted text `"…"`,
 * numbers `<n>` (with their units: `30s` is `<n>s`, but `v2` stays); whitespace collapses; kept to 200 characters. Pure.
 */
export function normaliseError(message: string): string {
  return message
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>')
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{12,}\b/gi, '<id>')
    .replace(/"[^"]*"|'[^']*'/g, '"…"')
    .replace(/(?<![A-Za-z_<])-?\d+(?:\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

/**
 * Failures grouped by element and normalised error, largest group first (then by element and
 * error), each with its count, its first `examples` runs (oldest first) and when it was first and
 * last seen. Pure.
 */
export function clusterFailures(failures: readonly RecordedFailure[], examples = 3): FailureCluster[] {
  const clusters = new Map<string, FailureCluster>();
  const sorted = [...failures].sort(
    (a, b) => a.at.getTime() - b.at.getTime() || a.runId.localeCompare(b.runId),
  );
  for (const failure of sorted) {
    const error = normaliseError(failure.error);
    const key = `${failure.elementId}\u0000${error}`;
    const cluster = clusters.get(key);
    if (!cluster) {
      clusters.set(key, {
        elementId: failure.elementId,
        error,
        count: 1,
        runIds: [failure.runId],
        firstAt: failure.at,
        lastAt: failure.at,
      });
      continue;
    }
    cluster.count += 1;
    cluster.lastAt = failure.at;
    if (cluster.runIds.length < examples && !cluster.runIds.includes(failure.runId))
      cluster.runIds.push(failure.runId);
  }
  return [...clusters.values()].sort(
    (a, b) => b.count - a.count || a.elementId.localeCompare(b.elementId) || a.error.localeCompare(b.error),
  );
}
