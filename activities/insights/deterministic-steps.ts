import { canonicalJson } from '../../schema/canonical-json.ts';
import type { DeterministicCandidate } from '../../schema/insights.ts';
import type { JsonValue } from '../../schema/json.ts';

export interface LlmStepSample {
  runId: string;
  elementId: string;
  strategy: string;
  /** What the step's output is judged a function of: the step's input when known, else the run's input. */
  input: JsonValue;
  output: JsonValue;
}

/**
 * The LLM steps whose output, over the samples, was a function of their input: every input seen
 * more than once gave the same output each time. A step qualifies with at least `minRuns` samples
 * and at least one repeated input (without a repeat there is no evidence either way). Sorted by
 * the evidence: repeated inputs, then runs. Pure.
 */
export function findDeterministicSteps(
  samples: readonly LlmStepSample[],
  { minRuns = 3 }: { minRuns?: number } = {},
): DeterministicCandidate[] {
  const byElement = new Map<string, LlmStepSample[]>();
  for (const sample of samples) {
    const list = byElement.get(sample.elementId) ?? [];
    list.push(sample);
    byElement.set(sample.elementId, list);
  }
  const candidates: DeterministicCandidate[] = [];
  for (const [elementId, list] of byElement) {
    if (list.length < minRuns) continue;
    const outputsByInput = new Map<string, Set<string>>();
    const countByInput = new Map<string, number>();
    const outputs = new Set<string>();
    for (const sample of list) {
      const input = canonicalJson(sample.input);
      const output = canonicalJson(sample.output);
      outputs.add(output);
      const seen = outputsByInput.get(input) ?? new Set<string>();
      seen.add(output);
      outputsByInput.set(input, seen);
      countByInput.set(input, (countByInput.get(input) ?? 0) + 1);
    }
    const consistent = [...outputsByInput.values()].every((seen) => seen.size === 1);
    const repeatedInputs = [...countByInput.values()].filter((n) => n >= 2).length;
    if (!consistent || repeatedInputs === 0) continue;
    candidates.push({
      elementId,
      strategies: [...new Set(list.map((s) => s.strategy))].sort(),
      runs: list.length,
      distinctInputs: outputsByInput.size,
      repeatedInputs,
      distinctOutputs: outputs.size,
      exampleOutput: (list[0] as LlmStepSample).output,
    });
  }
  return candidates.sort(
    (a, b) =>
      b.repeatedInputs - a.repeatedInputs || b.runs - a.runs || a.elementId.localeCompare(b.elementId),
  );
}
