import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { JsonSchema } from '../../schema/json.ts';
import type { ChatMessage } from '../../schema/models.ts';
import { sumUsage, type Usage } from '../../schema/usage.ts';
import { type LlmTurnDependencies, meteredLlmTurn } from '../strategies/llm-turn-activity.ts';
import { outputFeedback } from '../strategies/structured-output.ts';

/** One question to a judge model: which configured model (the default when absent), and what to ask. */
export interface JudgeQuestion {
  model?: string;
  system: string;
  prompt: string;
}

/** A judge's answer, validated, and what asking cost. */
export interface JudgeReply<T> {
  answer: T;
  usage: Usage;
}

/** Asks a judge model a question whose answer must match `schema`. */
export type AskJudge = <T>(question: JudgeQuestion, schema: z.ZodType<T>) => Promise<JudgeReply<T>>;

/** Answers sent back to a judge for not matching its schema before the scorer gives up. */
const ANSWER_RETRIES = 2;

/**
 * The judge as LLM steps reach a model: through the same metered turn (the configured model, its
 * breaker and fallbacks, structured output, usage priced by the price table, errors classified as
 * any model call's). An answer that does not match the schema goes back with the problems, like an
 * LLM step's invalid output; after ANSWER_RETRIES it fails non-retryably (`JudgeAnswerInvalid`).
 */
export function judgeThrough(dependencies: LlmTurnDependencies, signal: AbortSignal): AskJudge {
  return async <T>(question: JudgeQuestion, schema: z.ZodType<T>): Promise<JudgeReply<T>> => {
    const outputSchema = answerSchema(schema);
    const messages: ChatMessage[] = [
      { role: 'system', text: question.system },
      { role: 'user', text: question.prompt },
    ];
    const usages: Usage[] = [];
    let problems: string[] = [];
    for (let attempt = 0; attempt <= ANSWER_RETRIES; attempt++) {
      const turn = await meteredLlmTurn(
        dependencies,
        { ...(question.model === undefined ? {} : { model: question.model }), messages, outputSchema },
        signal,
      );
      usages.push(turn.usage);
      const checked = turn.output;
      const parsed = checked?.valid ? schema.safeParse(checked.value) : undefined;
      if (parsed?.success) return { answer: parsed.data, usage: sumUsage(usages) };
      problems = checked?.valid === false ? checked.problems : issuesOf(parsed?.error);
      messages.push(turn.message, outputFeedback(problems));
    }
    throw ApplicationFailure.create({
      type: 'JudgeAnswerInvalid',
      message: `the judge model${question.model ? ` "${question.model}"` : ''} gave no valid answer in ${ANSWER_RETRIES + 1} tries: ${problems.join('; ')}`,
      nonRetryable: true,
    });
  };
}

/** The answer's JSON Schema, as the structured-output path and Ajv take it. */
function answerSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-7' }) as JsonSchema;
  return json;
}

function issuesOf(error: z.ZodError | undefined): string[] {
  if (!error) return ['(root): no answer'];
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
