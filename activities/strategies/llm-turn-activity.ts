import { type Span, SpanKind } from '@opentelemetry/api';
import { Context } from '@temporalio/activity';
import type { Prices } from '../../schema/deployment-config.ts';
import { type LlmTurnOutcome, LlmTurnRequest, type LlmTurnRequestInput } from '../../schema/models.ts';
import { parseInput } from '../../schema/validation.ts';
import { meter } from '../metering/price.ts';
import { describeModelFailure, FALL_BACK_AT_ONCE, toModelActivityFailure } from '../models/model-errors.ts';
import type { ModelRegistry, ResolvedModel } from '../models/model-registry.ts';
import { currentActivityScope } from '../resilience/activity-scope.ts';
import type { CircuitBreakers } from '../resilience/circuit-breakers.ts';
import { classifyError, isTransient, toActivityFailure } from '../resilience/classify.ts';
import { CircuitOpenError } from '../resilience/errors.ts';
import { inSpan } from '../telemetry/in-span.ts';
import {
  chatRequestAttributes,
  chatResponseAttributes,
  chatSpanName,
  errorType,
  GenAi,
  type ModelIdentity,
} from '../telemetry/span-attributes.ts';
import { runLlmTurn } from './llm-turn.ts';

export interface LlmTurnDependencies {
  models: ModelRegistry;
  breakers: CircuitBreakers;
  prices: Prices;
}

/** The `llmTurn` activity: one LLM turn, guarded by its endpoint's breaker, metered, failures classified. */
export function createLlmTurnActivity(dependencies: LlmTurnDependencies) {
  return async function llmTurn(request: LlmTurnRequestInput): Promise<LlmTurnOutcome> {
    return meteredLlmTurn(
      dependencies,
      request,
      currentActivityScope().signal,
      Context.current().info.attempt,
    );
  };
}

/**
 * The activity's work with its cancellation given: what `llmTurn` runs, callable outside
 * Temporal. The requested model answers; when it is overloaded, unknown to its server, its
 * circuit is open, or it has failed `fallbackAfter` attempts (`attempt` counts them), its
 * fallbacks are tried in order within this attempt. The outcome names the model that answered.
 */
export async function meteredLlmTurn(
  dependencies: LlmTurnDependencies,
  input: LlmTurnRequestInput,
  signal: AbortSignal,
  attempt = 1,
): Promise<LlmTurnOutcome> {
  const { request, primary } = resolveTurn(dependencies.models, input);
  const requested = modelIdentity(primary);
  // One `chat <model>` span for the turn (GenAI conventions): the model asked for, the one that answered, its usage.
  return inSpan(
    chatSpanName(requested),
    { kind: SpanKind.CLIENT, attributes: chatRequestAttributes(requested) },
    (span) => turnWithFallbacks(dependencies, request, primary, signal, attempt, span),
  );
}

/** The request checked and its model found, or the activity's non-retryable failure. */
function resolveTurn(
  models: ModelRegistry,
  input: LlmTurnRequestInput,
): { request: LlmTurnRequest; primary: ResolvedModel } {
  try {
    const request = parseInput(LlmTurnRequest, input, 'LLM turn request');
    return { request, primary: models.resolve(request.model) };
  } catch (error) {
    throw toActivityFailure(error);
  }
}

/** The model a span names: its configured name, provider and the provider's model id. */
function modelIdentity(model: ResolvedModel): ModelIdentity {
  return { name: model.name, provider: model.provider ?? 'unknown', modelId: model.modelId ?? model.name };
}

async function turnWithFallbacks(
  { models, breakers, prices }: LlmTurnDependencies,
  request: LlmTurnRequest,
  primary: ResolvedModel,
  signal: AbortSignal,
  attempt: number,
  span: Span,
): Promise<LlmTurnOutcome> {
  const chain = [primary.name, ...primary.fallbacks];
  for (const [index, name] of chain.entries()) {
    let candidate: ResolvedModel;
    try {
      candidate = models.resolve(name);
    } catch (error) {
      throw toActivityFailure(error);
    }
    try {
      const turn = await breakers.for(candidate.endpoint).run(
        () =>
          runLlmTurn({
            ...request,
            model: candidate.model,
            structuredOutput: candidate.structuredOutput,
            // The tools go out as this model's provider takes them: a fallback may be another provider.
            toolTarget: candidate.toolTarget,
            signal,
          }),
        isTransient,
      );
      const usage = meter(prices, { ...turn.usage, toolCalls: 0, wallMs: turn.durationMs }, candidate.name);
      span.setAttributes(
        chatResponseAttributes({
          answeredBy: modelIdentity(candidate),
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          toolCalls: turn.message.toolCalls.length,
          credits: usage.credits,
        }),
      );
      return { ...turn, model: candidate.name, usage };
    } catch (error) {
      if (signal.aborted) throw error;
      const next = chain[index + 1];
      if (next === undefined || !fallsBack(error, candidate, attempt)) {
        throw toModelActivityFailure(error, candidate.name);
      }
      span.addEvent('swarmflow.model_fallback', {
        [GenAi.errorType]: errorType(error),
        'swarmflow.model.failed': candidate.name,
        'swarmflow.model.next': next,
      });
    }
  }
  throw new Error('unreachable: a model chain is never empty');
}

/** Whether a failure of `model` hands the turn to its next fallback now. */
function fallsBack(error: unknown, model: ResolvedModel, attempt: number): boolean {
  if (error instanceof CircuitOpenError) return true;
  const failure = describeModelFailure(error, model.name);
  if (failure && FALL_BACK_AT_ONCE.has(failure.kind)) return true;
  const retryable = failure?.retryable ?? classifyError(error).retryable;
  return retryable && attempt >= model.fallbackAfter;
}
