import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSteps } from '../../../activities/store/run-read-model.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { everythingServer } from '../tier3-runs/support/runs.ts';
import * as models from './support.ts';
import { addStep, type Brain, type Provider, type ProviderStandIn } from './support.ts';

/**
 * Contract: a fallback model on the other provider takes over mid-step. The main model calls
 * get-sum, then is overloaded (Anthropic's 529, OpenAI's 503); its fallback, on the other
 * stand-in, gets the conversation with the main model's tool call and its result, in its own
 * provider's shape, and answers. The step row names the model that answered.
 */

let standIns: Map<Provider, ProviderStandIn>;
/** The provider whose next request after a tool call is answered "overloaded". */
let overloaded: Provider | undefined;
let stack: TestStack;

const other = (provider: Provider): Provider => (provider === 'openai' ? 'anthropic' : 'openai');

/** Adds with get-sum, then answers from the result; when armed, the next request finds it overloaded. */
const brainFor =
  (provider: Provider): Brain =>
  ({ lastResults, tools }) => {
    if (lastResults.length > 0) return { text: `Done: ${lastResults.join(' ')}` };
    if (overloaded === provider) standIns?.get(provider)?.overloadNext();
    if (tools.includes('everything__get-sum'))
      return { toolCalls: [{ name: 'everything__get-sum', args: { a: 2, b: 3 } }] };
    return { text: 'I have no tool to add with.' };
  };

beforeAll(async () => {
  stack = await startTestStack();
  standIns = await models.startStandIns(brainFor);
  const configs: Record<string, unknown> = {};
  for (const [provider, standIn] of standIns) {
    configs[`${provider}-main`] = standIn.modelConfig({ fallbacks: [`${other(provider)}-backup`] });
    configs[`${provider}-backup`] = standIn.modelConfig();
  }
  await stack.startWorker({
    deployment: { mcpServers: { everything: everythingServer }, models: configs as never },
  });
});
afterAll(async () => {
  await stack?.stop();
  if (standIns) await models.stopStandIns(standIns);
});

describe.each(models.providers)('a %s model overloaded mid-step', (provider) => {
  it('hands the turn to its fallback on the other provider, which answers with the tool result', async () => {
    const main = standIns.get(provider) as ProviderStandIn;
    const backup = standIns.get(other(provider)) as ProviderStandIn;
    const before = { main: main.bodies().length, backup: backup.bodies().length };
    overloaded = provider;
    const routineId = `models-fallback-${provider}`;
    await models.registerOneStep(stack.client, routineId, addStep(`${provider}-main`));
    const { runId } = await stack.client.startRun({ routineId, input: { a: 2, b: 3 } });
    const outcome = await stack.client.awaitRun(runId);
    overloaded = undefined;

    expect(main.realRejections()).toEqual([]);
    expect(backup.realRejections()).toEqual([]);
    expect(main.rejections.filter((rejection) => rejection.injected).map((r) => r.status)).toEqual([
      provider === 'anthropic' ? 529 : 503,
    ]);
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs.answer).toMatch(/^Done: .*sum of 2 and 3 is 5/);
    expect(main.bodies().length - before.main).toBe(2);
    expect(backup.bodies().length - before.backup).toBe(1);
    expect(outcome.usage?.toolCalls).toBe(1);
    expect(outcome.usage?.inputTokens).toBeGreaterThan(0);
    await expect
      .poll(async () => (await listSteps(stack.client.db, runId))[0]?.llm)
      .toMatchObject({ model: `${other(provider)}-backup`, turns: 2, toolCalls: 1 });
  });
});
