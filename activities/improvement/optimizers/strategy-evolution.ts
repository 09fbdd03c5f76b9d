import type { CandidateProposal, EvidenceCase } from '../../../schema/improvement.ts';
import type { McpToolDescriptor } from '../../../schema/tools.ts';
import { NO_USAGE } from '../../../schema/usage.ts';
import type { Optimizer } from '../optimizer.ts';
import { splitByScore } from './case-text.ts';
import { type LlmStep, llmSteps, stepResult, withLlmChange } from './llm-steps.ts';

/**
 * What a failure says when the model lacked a tool: it cannot look something up, has no access,
 * no real-time data, or a scorer names data that is missing or made up.
 */
const MISSING_TOOL = [
  /\b(can ?not|can't|cannot|unable to|not able to)\s+(look\s*up|access|retrieve|fetch|find|check|browse|query|search|see|get)\b/i,
  /\b(don't|do not|no)\s+(have\s+)?(access|real-?time|live|current)\b/i,
  /\bas an ai\b/i,
  /\b(missing|lacks?|without|no)\s+(data|information|details|lookup|record)\b/i,
  /\b(hallucinat|made[- ]up|invented|fabricated)/i,
  /\bneeds? (a|to call a|the) tool\b/i,
];

const STOPWORDS = new Set(
  'the and for with that this from have not cannot could would should what which there their about into than then them they been were your when where does data information tool tools look lookup access'.split(
    ' ',
  ),
);

/**
 * Strategy evolution, conversational → reasoning. The heuristic: a failing case (score below 1)
 * shows missing tool use when the step's own recorded answer, or a scorer's reason, matches one of
 * MISSING_TOOL ("I cannot look up the order", "no access to real-time prices", "the zip code is
 * missing", "made-up tracking number"). A conversational LLM step (declared, or auto with no tools)
 * is implicated when its own answer says so on some failing case; when no step's answer does but
 * reasons do, every conversational step is. The step becomes `reasoning` with the deployment's
 * tools (context.tools) whose server, name or description share a word (4+ letters, not a stop
 * word) with those failures' text (the inputs, answers and reasons) added to its `tools`. No
 * matching tool, no candidate: reasoning without tools would change nothing.
 */
export function strategyEvolution(): Optimizer {
  return {
    name: 'strategyEvolution',
    async propose(evidence, context) {
      const candidates: CandidateProposal[] = [];
      const { failing } = splitByScore(evidence.cases);
      const steps = (await llmSteps(evidence.baseline.definition)).filter(isConversational);
      const byAnswer = steps.map((step) => ({
        step,
        cases: failing.filter((c) => saysMissingTool(answerText(step, c))),
      }));
      const byReason = failing.filter((c) => c.reasons.some((reason) => saysMissingTool(reason.reason)));
      const implicated = byAnswer.some((entry) => entry.cases.length > 0)
        ? byAnswer.filter((entry) => entry.cases.length > 0)
        : byReason.length > 0
          ? steps.map((step) => ({ step, cases: byReason }))
          : [];
      for (const { step, cases } of implicated) {
        const words = wordsOf(cases.map((c) => failureText(step, c)).join(' '));
        const tools = (context.tools ?? []).filter((tool) => sharesWord(tool, words)).map(toolGlob);
        if (tools.length === 0) continue;
        const allowed = [...new Set([...step.tools, ...tools])];
        candidates.push({
          optimizer: 'strategyEvolution',
          change:
            `step ${step.id}: conversational → reasoning with tools ${tools.join(', ')} ` +
            `(${cases.length === 1 ? '1 failing case shows' : `${cases.length} failing cases show`} missing tool use)`,
          definition: await withLlmChange(evidence.baseline.definition, step.id, {
            strategy: 'reasoning',
            tools: allowed,
          }),
        });
      }
      return { candidates, usage: { ...NO_USAGE } };
    },
  };
}

function isConversational(step: LlmStep): boolean {
  return step.strategy === 'conversational' || (step.strategy === 'auto' && step.tools.length === 0);
}

export function saysMissingTool(text: string): boolean {
  return MISSING_TOOL.some((pattern) => pattern.test(text));
}

function answerText(step: LlmStep, evidence: EvidenceCase): string {
  const result = stepResult(step, evidence);
  if (!result) return '';
  return typeof result.value === 'string' ? result.value : JSON.stringify(result.value);
}

function failureText(step: LlmStep, evidence: EvidenceCase): string {
  return [
    JSON.stringify(evidence.input),
    answerText(step, evidence),
    ...evidence.reasons.map((reason) => reason.reason),
  ].join(' ');
}

function wordsOf(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length >= 4 && !STOPWORDS.has(word));
  return new Set(words.flatMap((word) => (word.endsWith('s') ? [word, word.slice(0, -1)] : [word])));
}

function sharesWord(tool: McpToolDescriptor, words: Set<string>): boolean {
  const own = wordsOf(
    `${tool.server} ${tool.name.replace(/[_-]/g, ' ')} ${tool.title ?? ''} ${tool.description ?? ''}`,
  );
  return [...own].some((word) => words.has(word));
}

function toolGlob(tool: McpToolDescriptor): string {
  return `${tool.server}/${tool.name}`;
}
