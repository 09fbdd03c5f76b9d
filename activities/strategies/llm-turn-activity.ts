import type { Prices } from '../../schema/deployment-config.ts';
import { type LlmTurnOutcome, LlmTurnRequest, type LlmTurnRequestInput } from '../../schema/models.ts';
import { parseInput } from '../../schema/validation.ts';
import { meter } from '../metering/price.ts';
import type { ModelRegistry } from '../models/model-registry.ts';
import { currentActivityScope } from '../resilience/activity-scope.ts';
import type { CircuitBreakers } from '../resilience/circuit-breakers.ts';
import { isTransient, toActivityFailure } from '../resilience/classify.ts';
import { runLlmTurn } from './llm-turn.ts';

export interface LlmTurnDependencies {
  models: ModelRegistry;
  breakers: CircuitBreakers;
  prices: Prices;
}

/** The `llmTurn` activity: one LLM turn, guarded by its endpoint's breaker, metered, failures classified. */
export function createLlmTurnActivity(dependencies: LlmTurnDependencies) {
  return async function llmTurn(request: LlmTurnRequestInput): Promise<LlmTurnOutcome> {
    return meteredLlmTurn(dependencies, request, currentActivityScope().signal);
  };
}

/** The activity's work with its cancellation given: what `llmTurn` runs, callable outside Temporal. */
export async function meteredLlmTurn(
  { models, breakers, prices }: LlmTurnDependencies,
  input: LlmTurnRequestInput,
  signal: AbortSignal,
): Promise<LlmTurnOutcome> {
  try {
    const request = parseInput(LlmTurnRequest, input, 'LLM turn request');
    const { name, model, endpoint } = models.resolve(request.model);
    const turn = await breakers
      .for(endpoint)
      .run(() => runLlmTurn({ ...request, model, signal }), isTransient);
    const usage = meter(prices, { ...turn.usage, toolCalls: 0, wallMs: turn.durationMs }, name);
    return { ...turn, model: name, usage };
  } catch (error) {
    if (signal.aborted) throw error;
    throw toActivityFailure(error);
  }
}
