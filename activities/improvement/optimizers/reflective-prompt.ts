import { z } from 'zod';
import { canonicalJson } from '../../../schema/canonical-json.ts';
import type { CandidateProposal, EvidenceCase, ImprovementEvidence } from '../../../schema/improvement.ts';
import type { RoutineDefinition } from '../../../schema/routine.ts';
import type { Optimizer } from '../optimizer.ts';
import { BudgetedModel } from './budgeted-model.ts';
import { caseText, splitByScore } from './case-text.ts';
import { compiles, type LlmStep, llmSteps, withLlmChange } from './llm-steps.ts';
import { paretoFront } from './pareto-front.ts';

export interface ReflectivePromptOptions {
  /** Mutations proposed per LLM step (k); default 3. */
  mutations?: number;
  /** Failing cases shown to the model, worst first; default 5. */
  failingCases?: number;
  /** Passing cases shown beside them; default 2. */
  passingCases?: number;
}

const SYSTEM =
  'You improve the instruction (prompt template) of one LLM step of a workflow. You read the cases ' +
  'where its output was scored low, with the scorers’ reasons, and a few that scored well, and you ' +
  'write a better instruction that fixes the failures without breaking the passing cases. Keep every ' +
  '{{ ... }} placeholder exactly as it is: they insert the case’s data.';

const PLACEHOLDER = /\{\{([\s\S]+?)\}\}/g;

/** The model's answer: the new instruction, checked to keep the old one's placeholders, and why. */
export function mutationAnswer(current: string) {
  const placeholders = [...current.matchAll(PLACEHOLDER)].map(([, expression = '']) => expression.trim());
  return z.object({
    instruction: z
      .string()
      .min(1)
      .refine(
        (instruction) => {
          const kept = new Set([...instruction.matchAll(PLACEHOLDER)].map(([, e = '']) => e.trim()));
          return placeholders.every((placeholder) => kept.has(placeholder));
        },
        { message: `keep the placeholders ${placeholders.map((p) => `{{ ${p} }}`).join(', ')} as they are` },
      ),
    rationale: z.string().min(1),
  });
}

/**
 * Reflective prompt mutation, like GEPA: for each LLM step, a model reads the step's instruction,
 * the failing cases (input, output, expected, the scorers' reasons) and a few passing ones, and
 * proposes a better instruction ({instruction, rationale}, validated). Parents are the baseline and
 * the earlier variants on the Pareto front across cases; k mutations per step, round-robin over the
 * parents, each shown the instructions already proposed so they differ. It stops before a call
 * would take it past the budget. With no failing case there is nothing to reflect on.
 */
export function reflectivePrompt(options: ReflectivePromptOptions = {}): Optimizer {
  const { mutations = 3, failingCases = 5, passingCases = 2 } = options;
  return {
    name: 'reflectivePrompt',
    async propose(evidence, context) {
      const model = new BudgetedModel(context);
      const { failing, passing } = splitByScore(evidence.cases);
      const candidates: CandidateProposal[] = [];
      if (failing.length === 0) return { candidates, usage: model.usage };
      const parents = paretoParents(evidence);
      for (const baselineStep of await llmSteps(evidence.baseline.definition)) {
        const proposed: string[] = [];
        for (let n = 0; n < mutations; n++) {
          const parent = parents[n % parents.length] ?? evidence.baseline.definition;
          const step = (await llmSteps(parent)).find((candidate) => candidate.id === baselineStep.id);
          if (!step) continue;
          const question = {
            system: SYSTEM,
            prompt: mutationPrompt(
              step,
              failing.slice(0, failingCases),
              passing.slice(0, passingCases),
              proposed,
            ),
          };
          if (!model.affords(question)) return { candidates, usage: model.usage };
          const answer = await model.answer(question, mutationAnswer(step.prompt));
          if (!answer) continue;
          const instruction = answer.instruction.trim();
          if (instruction === step.prompt.trim() || proposed.includes(instruction)) continue;
          proposed.push(instruction);
          const definition = await withLlmChange(parent, step.id, { prompt: instruction });
          // Its new placeholders must be FEEL, as registering would check.
          if (!(await compiles(definition))) continue;
          candidates.push({
            optimizer: 'reflectivePrompt',
            change: `step ${step.id}: instruction rewritten (${failing.length} failing cases): ${oneLine(answer.rationale)}`,
            definition,
          });
        }
      }
      return { candidates, usage: model.usage };
    },
  };
}

/**
 * The definitions to mutate: the baseline and the earlier variants not dominated across the
 * evidence cases (scores matched by input; a case a variant was not scored on counts as 0).
 */
export function paretoParents(evidence: ImprovementEvidence): RoutineDefinition[] {
  const keys = evidence.cases.map((c) => canonicalJson(c.input));
  const scored = [
    { variant: evidence.baseline.definition, scores: evidence.cases.map((c) => c.score) },
    ...(evidence.variants ?? []).map((variant) => {
      const byInput = new Map(variant.cases.map((c) => [canonicalJson(c.input), c.score]));
      return { variant: variant.definition, scores: keys.map((key) => byInput.get(key) ?? 0) };
    }),
  ];
  return paretoFront(scored).map((entry) => entry.variant);
}

function mutationPrompt(
  step: LlmStep,
  failing: EvidenceCase[],
  passing: EvidenceCase[],
  proposed: readonly string[],
): string {
  const parts = [
    `Step "${step.id}"${step.system ? ` (system prompt: ${JSON.stringify(step.system)})` : ''}.`,
    `Current instruction:\n<instruction>\n${step.prompt}\n</instruction>`,
    `Failing cases:\n${failing.map((c, i) => caseText(step, c, `Failing case ${i + 1}`)).join('\n\n')}`,
  ];
  if (passing.length > 0) {
    parts.push(
      `Passing cases:\n${passing.map((c, i) => caseText(step, c, `Passing case ${i + 1}`)).join('\n\n')}`,
    );
  }
  if (proposed.length > 0) {
    parts.push(
      `Instructions already proposed (write a different one):\n${proposed.map((p) => `<instruction>\n${p}\n</instruction>`).join('\n')}`,
    );
  }
  parts.push(
    'Answer with {"instruction": the new instruction, "rationale": what it fixes and why, in one sentence}.',
  );
  return parts.join('\n\n');
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
