import type { EvidenceCase } from '../../../schema/improvement.ts';
import { type LlmStep, stepResult } from './llm-steps.ts';

/** A case as a model reads it in an optimizer's prompt: input, the step's output, expected, score and the scorers' reasons. */
export function caseText(step: LlmStep, evidence: EvidenceCase, label: string): string {
  const output = stepResult(step, evidence)?.value ?? evidence.output;
  const lines = [
    `${label} (score ${evidence.score.toFixed(2)})`,
    `Input: ${JSON.stringify(evidence.input)}`,
    `Output: ${output === undefined ? '(none)' : JSON.stringify(output)}`,
  ];
  if (evidence.expected !== undefined) lines.push(`Expected: ${JSON.stringify(evidence.expected)}`);
  for (const reason of evidence.reasons) {
    lines.push(`- ${reason.name} (${reason.kind}) scored ${reason.score.toFixed(2)}: ${reason.reason}`);
  }
  return lines.join('\n');
}

/** The cases that did not score full marks, worst first, and those that did. */
export function splitByScore(cases: readonly EvidenceCase[]): {
  failing: EvidenceCase[];
  passing: EvidenceCase[];
} {
  const failing = cases.filter((c) => c.score < 1).sort((a, b) => a.score - b.score);
  return { failing, passing: cases.filter((c) => c.score >= 1) };
}
