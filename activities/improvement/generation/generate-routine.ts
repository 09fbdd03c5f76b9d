import { type CompiledDefinition, compileDefinition } from '../../../compiler/compile-definition.ts';
import { RoutineCompileError } from '../../../compiler/errors.ts';
import type { ChatMessage } from '../../../schema/models.ts';
import type { RoutineDefinition } from '../../../schema/routine.ts';
import { sumUsage, type Usage } from '../../../schema/usage.ts';
import { type LlmTurnDependencies, meteredLlmTurn } from '../../strategies/llm-turn-activity.ts';
import {
  fixRequest,
  type GenerationRequest,
  generationMessages,
  parseGenerationAnswer,
} from './generation-prompt.ts';

/** Answers a generation asks for before it gives up: the first and three fixes. */
export const DEFAULT_GENERATION_ATTEMPTS = 4;

export interface GenerateOptions {
  /** The configured model to ask; default the deployment's default model. */
  model?: string;
  /** Answers asked for at most (default DEFAULT_GENERATION_ATTEMPTS). */
  maxAttempts?: number;
  /** Credits the generation may spend; it asks no further once they are spent. */
  budgetCredits?: number;
  signal?: AbortSignal;
}

/** A generated routine that compiles, what it took, and what it cost. */
export interface GeneratedRoutine extends CompiledDefinition {
  definition: RoutineDefinition;
  /** Answers asked for, 1 when the first compiled. */
  attempts: number;
  /** The conversation, the model's answers and the compiler's feedback included. */
  messages: ChatMessage[];
  usage: Usage;
}

/** No answer compiled within the attempts or the budget; `problems` are the last answer's. */
export class RoutineGenerationError extends Error {
  override readonly name = 'RoutineGenerationError';
  constructor(
    readonly attempts: number,
    readonly problems: string,
    readonly usage: Usage,
    why: string,
  ) {
    super(
      `no routine compiled after ${attempts} ${attempts === 1 ? 'answer' : 'answers'} (${why}); the last problems:\n${problems}`,
    );
  }
}

/**
 * Drafts a routine for a goal with an LLM, through the metered turn LLM steps use (the model's
 * breaker, fallbacks, usage priced by the price table). Each answer is read as a definition and
 * checked as registration checks it (compileDefinition); when it is rejected the problems go back
 * verbatim (the compiler's message names each element and field) and the model answers again, up
 * to `maxAttempts` answers and within `budgetCredits`.
 * @throws RoutineGenerationError when no answer compiled; model failures as the LLM turn throws them.
 */
export async function generateRoutine(
  dependencies: LlmTurnDependencies,
  request: GenerationRequest,
  options: GenerateOptions = {},
): Promise<GeneratedRoutine> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_GENERATION_ATTEMPTS;
  const signal = options.signal ?? new AbortController().signal;
  const messages = generationMessages(request);
  const usages: Usage[] = [];
  let problems = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const turn = await meteredLlmTurn(
      dependencies,
      { ...(options.model === undefined ? {} : { model: options.model }), messages },
      signal,
    );
    usages.push(turn.usage);
    messages.push(turn.message);
    const answer = parseGenerationAnswer(turn.message.text, request);
    if ('definition' in answer) {
      try {
        const checked = await compileDefinition(answer.definition);
        return {
          definition: answer.definition,
          ...checked,
          attempts: attempt,
          messages,
          usage: sumUsage(usages),
        };
      } catch (error) {
        if (!(error instanceof RoutineCompileError)) throw error;
        problems = error.message;
      }
    } else {
      problems = answer.problems;
    }
    const spent = sumUsage(usages);
    if (options.budgetCredits !== undefined && spent.credits >= options.budgetCredits) {
      throw new RoutineGenerationError(
        attempt,
        problems,
        spent,
        `its budget of ${options.budgetCredits} credits is spent`,
      );
    }
    if (attempt < maxAttempts) messages.push(fixRequest(problems));
  }
  throw new RoutineGenerationError(maxAttempts, problems, sumUsage(usages), `at most ${maxAttempts} answers`);
}
