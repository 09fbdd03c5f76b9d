import { writeFile } from 'node:fs/promises';
import type { EvalDetails, EvalSummary } from '../../schema/eval-run.ts';
import type { EvalsOperations } from '../remote/swarmflow-api.ts';
import { type EvalReportData, renderEvalReport } from './render-eval-report.ts';

/** How many of the lowest-scoring cases the report lists. */
const WORST_CASES = 10;

/** Writes the eval's HTML report to `path`: the eval's cases and the routine's stored evals. */
export async function writeEvalReport(
  client: { evals: EvalsOperations },
  evalId: string,
  path: string,
): Promise<void> {
  const details = await client.evals.get(evalId);
  const evals = await client.evals.list({ routineId: details.routineId, limit: 200 });
  await writeFile(path, renderEvalReport(evalReportData(details, evals)));
}

/** What the report shows of an eval and the routine's evals (completed ones, with a score). */
export function evalReportData(details: EvalDetails, evals: EvalSummary[]): EvalReportData {
  const scored = evals.filter((item) => item.status === 'completed' && item.score !== null);
  if (!scored.some((item) => item.evalId === details.evalId)) scored.push(details);
  const worst = [...details.cases].sort((a, b) => a.score - b.score || a.ordinal - b.ordinal);
  return {
    evalId: details.evalId,
    routineId: details.routineId,
    version: details.version,
    score: details.score ?? 0,
    passedCount: details.passedCount ?? details.cases.filter((evalCase) => evalCase.passed).length,
    latencyMs: details.latencyMs,
    credits: details.usage?.credits ?? 0,
    caseScores: details.cases.map((evalCase) => evalCase.score),
    versions: scored.map((item) => ({
      version: item.version,
      evalId: item.evalId,
      score: item.score ?? 0,
      creditsPerCase: item.caseCount > 0 ? (item.usage?.credits ?? 0) / item.caseCount : 0,
    })),
    worstCases: worst.slice(0, WORST_CASES).map((evalCase) => ({
      ordinal: evalCase.ordinal,
      score: evalCase.score,
      input: evalCase.input,
      output: evalCase.output,
      expected: evalCase.expected,
      reasons: [
        ...(evalCase.error ? [`${evalCase.error.type}: ${evalCase.error.message}`] : []),
        ...evalCase.reasons.map((reason) => `${reason.name} (${reason.score.toFixed(2)}): ${reason.reason}`),
      ],
    })),
  };
}
