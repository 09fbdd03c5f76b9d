import type { JsonValue } from '../../schema/json.ts';

/** What an eval report shows: one eval's cases, and the routine's stored evals to place it among. */
export interface EvalReportData {
  evalId: string;
  routineId: string;
  version: number;
  score: number;
  passedCount: number;
  latencyMs: { p50: number | null; p95: number | null };
  credits: number;
  /** Every case's score, in the dataset's order. */
  caseScores: number[];
  /** The routine's completed evals: one point each of score against cost (credits per case). */
  versions: { version: number; evalId: string; score: number; creditsPerCase: number }[];
  /** The lowest-scoring cases, worst first. */
  worstCases: {
    ordinal: number;
    score: number;
    input: JsonValue;
    output: JsonValue;
    expected: JsonValue;
    reasons: string[];
  }[];
}

const BINS = 10;
const WIDTH = 480;
const HEIGHT = 240;
const MARGIN = { top: 16, right: 16, bottom: 40, left: 48 };

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched.
 * The score distribution (`svg#score-histogram`, a bar per tenth of [0, 1]), score against cost
 * per version (`svg#score-vs-cost`, a point per stored eval) and the worst cases with their
 * reasons (`table#worst-cases`).
 */
export function renderEvalReport(data: EvalReportData): string {
  const title = `Eval ${data.evalId}: ${data.routineId}@${data.version}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1d2330; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin-top: 2rem; }
.summary span { display: inline-block; margin-right: 1.5rem; }
svg { background: #fafbfc; border: 1px solid #e1e4e8; }
svg text { font: 11px system-ui, sans-serif; fill: #4a5160; }
.bar { fill: #3d7bd9; } .point { fill: #d9673d; } .point.current { fill: #2a9d4b; }
table { border-collapse: collapse; margin-top: .5rem; }
th, td { border: 1px solid #e1e4e8; padding: .3rem .5rem; vertical-align: top; text-align: left; }
td pre { margin: 0; white-space: pre-wrap; max-width: 28rem; font-size: 12px; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="summary">
<span>score <strong>${data.score.toFixed(3)}</strong></span>
<span>passed <strong>${data.passedCount}/${data.caseScores.length}</strong></span>
<span>latency p50 ${data.latencyMs.p50 ?? '-'} ms, p95 ${data.latencyMs.p95 ?? '-'} ms</span>
<span>credits ${data.credits}</span>
</p>
<h2>Score distribution</h2>
${histogram(data.caseScores)}
<h2>Score against cost, per version</h2>
${scatter(data.versions, data.evalId)}
<h2>Worst cases</h2>
${worstCases(data.worstCases)}
</body>
</html>
`;
}

/** Case counts per tenth of [0, 1]; a score of 1 counts in the last bin. */
export function scoreBins(scores: readonly number[]): number[] {
  const bins = new Array<number>(BINS).fill(0);
  for (const score of scores) {
    const index = Math.min(BINS - 1, Math.max(0, Math.floor(score * BINS)));
    bins[index] = (bins[index] ?? 0) + 1;
  }
  return bins;
}

function histogram(scores: readonly number[]): string {
  const bins = scoreBins(scores);
  const most = Math.max(1, ...bins);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const barWidth = plotWidth / BINS;
  const bars = bins
    .map((count, index) => {
      const height = (count / most) * plotHeight;
      const x = MARGIN.left + index * barWidth;
      const y = MARGIN.top + plotHeight - height;
      const range = `${(index / BINS).toFixed(1)}–${((index + 1) / BINS).toFixed(1)}`;
      return `<rect class="bar" data-bin="${index}" data-count="${count}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${height.toFixed(1)}"><title>${range}: ${count} case${count === 1 ? '' : 's'}</title></rect>`;
    })
    .join('\n');
  const ticks = [0, 0.5, 1]
    .map((tick) => {
      const x = MARGIN.left + tick * plotWidth;
      return `<text x="${x.toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${tick}</text>`;
    })
    .join('');
  return `<svg id="score-histogram" role="img" aria-label="score distribution" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
${axes()}
${bars}
${ticks}
<text x="${MARGIN.left - 8}" y="${MARGIN.top + 8}" text-anchor="end">${most}</text>
<text x="${WIDTH / 2}" y="${HEIGHT - 6}" text-anchor="middle">case score</text>
</svg>`;
}

function scatter(versions: EvalReportData['versions'], currentEvalId: string): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const maxCost = Math.max(0, ...versions.map((point) => point.creditsPerCase));
  const costScale = maxCost > 0 ? maxCost : 1;
  const points = versions
    .map((point) => {
      const x = MARGIN.left + (point.creditsPerCase / costScale) * plotWidth;
      const y = MARGIN.top + (1 - point.score) * plotHeight;
      const current = point.evalId === currentEvalId ? ' current' : '';
      return `<circle class="point${current}" data-version="${point.version}" data-eval="${escapeHtml(point.evalId)}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="5"><title>version ${point.version}: score ${point.score.toFixed(3)}, ${point.creditsPerCase} credits per case (eval ${escapeHtml(point.evalId)})</title></circle><text x="${(x + 7).toFixed(1)}" y="${(y - 6).toFixed(1)}">v${point.version}</text>`;
    })
    .join('\n');
  return `<svg id="score-vs-cost" role="img" aria-label="score against cost per version" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
${axes()}
${points}
<text x="${MARGIN.left - 8}" y="${MARGIN.top + 4}" text-anchor="end">1</text>
<text x="${MARGIN.left - 8}" y="${MARGIN.top + plotHeight}" text-anchor="end">0</text>
<text x="${WIDTH - MARGIN.right}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="end">${maxCost}</text>
<text x="${WIDTH / 2}" y="${HEIGHT - 6}" text-anchor="middle">credits per case</text>
</svg>`;
}

function axes(): string {
  const bottom = HEIGHT - MARGIN.bottom;
  return `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${bottom}" stroke="#8a919e"/><line x1="${MARGIN.left}" y1="${bottom}" x2="${WIDTH - MARGIN.right}" y2="${bottom}" stroke="#8a919e"/>`;
}

function worstCases(cases: EvalReportData['worstCases']): string {
  const rows = cases
    .map(
      (evalCase) => `<tr data-case="${evalCase.ordinal}">
<td>${evalCase.ordinal}</td><td>${evalCase.score.toFixed(3)}</td>
<td><pre>${escapeHtml(JSON.stringify(evalCase.input, null, 1))}</pre></td>
<td><pre>${escapeHtml(JSON.stringify(evalCase.output, null, 1))}</pre></td>
<td><pre>${escapeHtml(JSON.stringify(evalCase.expected, null, 1))}</pre></td>
<td><ul>${evalCase.reasons.map((reason) => `<li>${escapeHtml(reason)}</li>`).join('')}</ul></td>
</tr>`,
    )
    .join('\n');
  return `<table id="worst-cases">
<thead><tr><th>case</th><th>score</th><th>input</th><th>output</th><th>expected</th><th>reasons</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
