import { afterAll, beforeAll, expect, it } from 'vitest';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { type ChatStub, completion, failure, startChatStub } from './support/chat-completions-stub.ts';

/**
 * A model endpoint that fails: after two failures its breaker opens and the next attempt of the
 * run's LLM turn fails fast without reaching it; after the cool-down a trial call closes it again.
 */

let stack: TestStack;
let stub: ChatStub;
const breakers = new CircuitBreakers({ failureThreshold: 2, coolDownMs: 5000 });

beforeAll(async () => {
  stub = await startChatStub((_request, index) => (index < 2 ? failure(503) : completion({ text: 'pong' })));
  stack = await startTestStack();
  await stack.startWorker({
    deployment: { models: { flaky: { provider: 'openai', model: 'stub', baseURL: stub.baseURL } } },
    tier3: { breakers },
  });
});
afterAll(async () => {
  await stack?.stop();
  await stub?.close();
});

/** The attempt on which each LLM turn of the run started for the last time. */
async function llmTurnAttempts(runId: string): Promise<number[]> {
  const history = await stack.client.temporal.workflow.getHandle(`run/${runId}`).fetchHistory();
  const events = history.events ?? [];
  const turns = new Set(
    events
      .filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'llmTurn')
      .map((event) => String(event.eventId)),
  );
  return events.flatMap((event) => {
    const started = event.activityTaskStartedEventAttributes;
    return started && turns.has(String(started.scheduledEventId)) ? [started.attempt ?? 0] : [];
  });
}

it('opens the breaker of a failing model endpoint, fails fast while open, and closes it on recovery', async () => {
  await stack.client.registerRoutine({
    id: 'flaky-ping',
    body: { kind: 'sequence', steps: [{ id: 'ping', prompt: 'ping', model: 'flaky' }] },
  });
  const { runId } = await stack.client.startRun({ routineId: 'flaky-ping' });
  const outcome = await stack.client.awaitRun(runId);
  expect(outcome).toMatchObject({ status: 'completed', outputs: { answer: 'pong' } });
  // Four attempts of the turn, three requests: the third attempt met the open circuit.
  expect(await llmTurnAttempts(runId)).toEqual([4]);
  expect(stub.requests).toHaveLength(3);
  expect(breakers.states()).toEqual({ [`model openai ${stub.baseURL}`]: 'closed' });
}, 60_000);
