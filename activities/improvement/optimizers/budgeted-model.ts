import type { z } from 'zod';
import { sumUsage, type Usage } from '../../../schema/usage.ts';
import { type JudgeQuestion, judgeThrough } from '../../evaluation/judge-model.ts';
import { creditsFor } from '../../metering/price.ts';
import { estimateTokens } from '../../models/script-player.ts';
import type { OptimizerContext } from '../optimizer.ts';

/** Output tokens assumed for a call before any call has shown what they cost. */
const ASSUMED_OUTPUT_TOKENS = 400;

/**
 * The optimizers' model: questions with zod-checked answers asked through the judges' path (the
 * metered LLM turn: breaker, fallbacks, structured output, priced usage), and a budget. Before each
 * call it estimates the call's cost (the dearest call so far, or the prompt's tokens and an assumed
 * answer at the model's price) and refuses it when that would take the spending past the budget.
 */
export class BudgetedModel {
  private readonly usages: Usage[] = [];
  private readonly ask;
  private readonly modelName: string;

  constructor(private readonly context: OptimizerContext) {
    this.ask = judgeThrough(context, context.signal ?? new AbortController().signal);
    this.modelName = context.models.resolve(context.model).name;
  }

  /** What the calls so far cost. */
  get usage(): Usage {
    return sumUsage(this.usages);
  }

  /** Whether a call with this question is expected to stay within the budget. */
  affords(question: Omit<JudgeQuestion, 'model'>): boolean {
    const first = creditsFor(
      this.context.prices,
      {
        inputTokens: estimateTokens(question.system + question.prompt),
        outputTokens: ASSUMED_OUTPUT_TOKENS,
        toolCalls: 0,
        wallMs: 0,
      },
      this.modelName,
    );
    const estimate = Math.max(first, ...this.usages.map((usage) => usage.credits));
    return this.usage.credits + estimate <= this.context.budgetCredits;
  }

  /** The answer, or undefined when the budget does not allow the call or the model gave no valid answer. */
  async answer<T>(question: Omit<JudgeQuestion, 'model'>, schema: z.ZodType<T>): Promise<T | undefined> {
    if (!this.affords(question)) return undefined;
    try {
      const reply = await this.ask({ ...question, model: this.modelName }, schema);
      this.usages.push(reply.usage);
      return reply.answer;
    } catch (error) {
      if (error instanceof Error && (error as { type?: string }).type === 'JudgeAnswerInvalid')
        return undefined;
      throw error;
    }
  }
}
