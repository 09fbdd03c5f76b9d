import { canonicalJson } from '../../../schema/canonical-json.ts';
import type { CandidateProposal, EvidenceCase } from '../../../schema/improvement.ts';
import type { JsonValue } from '../../../schema/json.ts';
import { NO_USAGE } from '../../../schema/usage.ts';
import type { Optimizer } from '../optimizer.ts';
import {
  type LlmStep,
  llmSteps,
  promptVariables,
  stepContext,
  stepResult,
  withLlmChange,
} from './llm-steps.ts';

export interface FewShotOptions {
  /** Demos per step; default 3. */
  demos?: number;
}

/** The block the demos go in; a later bootstrap replaces it instead of adding another. */
export const EXAMPLES_START = '<examples>';
export const EXAMPLES_END = '</examples>';

/**
 * Few-shot demos bootstrapped from the evidence: for each LLM step, the cases that scored full
 * marks (best first, distinct step inputs), each shown as the step's input variables and its
 * recorded answer, appended to the step's prompt in an <examples> block. No model is asked.
 */
export function fewShot(options: FewShotOptions = {}): Optimizer {
  const { demos = 3 } = options;
  return {
    name: 'fewShot',
    async propose(evidence) {
      const candidates: CandidateProposal[] = [];
      for (const step of await llmSteps(evidence.baseline.definition)) {
        const picked = pickDemos(step, evidence.cases, demos);
        if (picked.length === 0) continue;
        const prompt = `${withoutExamples(step.prompt)}\n\n${examplesBlock(picked)}`;
        candidates.push({
          optimizer: 'fewShot',
          change: `step ${step.id}: ${picked.length} example${picked.length === 1 ? '' : 's'} from full-score cases added to the instruction`,
          definition: await withLlmChange(evidence.baseline.definition, step.id, { prompt }),
        });
      }
      return { candidates, usage: { ...NO_USAGE } };
    },
  };
}

export interface Demo {
  input: Record<string, JsonValue>;
  output: JsonValue;
}

/** The demos of a step: full-score cases whose step answer is recorded, one per distinct step input. */
export function pickDemos(step: LlmStep, cases: readonly EvidenceCase[], count: number): Demo[] {
  const seen = new Set<string>();
  const picked: Demo[] = [];
  for (const evidence of cases.filter((c) => c.score >= 1)) {
    const context = stepContext(step, evidence);
    const result = stepResult(step, evidence);
    if (!context || !result) continue;
    const input = promptVariables(step, context);
    const key = canonicalJson(input);
    if (seen.has(key)) continue;
    seen.add(key);
    picked.push({ input, output: result.value });
    if (picked.length === count) break;
  }
  return picked;
}

/** The demos as a delimited block; "{{" in data is broken up so it never reads as a placeholder. */
export function examplesBlock(demos: readonly Demo[]): string {
  const shown = demos.map(
    (demo, i) =>
      `<example ${i + 1}>\nInput: ${JSON.stringify(demo.input, null, 2)}\nAnswer: ${JSON.stringify(demo.output, null, 2)}\n</example ${i + 1}>`,
  );
  const text = [
    EXAMPLES_START,
    'Examples of correct answers to this instruction:',
    ...shown,
    EXAMPLES_END,
  ].join('\n');
  return text.replaceAll('{{', '{ {').replaceAll('}}', '} }');
}

function withoutExamples(prompt: string): string {
  const start = prompt.indexOf(EXAMPLES_START);
  const end = prompt.indexOf(EXAMPLES_END);
  if (start < 0 || end < start) return prompt;
  return `${prompt.slice(0, start)}${prompt.slice(end + EXAMPLES_END.length)}`.trim();
}
