import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { killWorkerProcess, startWorkerProcess } from '../../support/worker-process.ts';
import { stopProcess } from '../tier3/support/mcp-servers.ts';
import { counterServer, scheduledActivities } from '../tier3-runs/support/runs.ts';
import type { Brain, Provider, ProviderStandIn } from './support.ts';
import * as models from './support.ts';

/**
 * Contract: a worker process killed mid-turn. The model calls a tool; while the stand-in holds the
 * next request open, the worker is SIGKILLed; a new worker retries the turn from history. The
 * retried request carries the tool call and its result as the provider demands, the tool ran
 * once (counted in a file across processes), and no request is refused.
 */

let standIns: Map<Provider, ProviderStandIn>;
/** Per provider: called when the stand-in starts holding the turn after the tool call. */
const holding = new Map<Provider, () => void>();
let stack: TestStack;
let folder: string;
let worker: ChildProcess | undefined;
const workers: ChildProcess[] = [];

/** Ticks once; the first request after the tick is held open for good (its worker dies), the retry answered. */
const brainFor =
  (provider: Provider): Brain =>
  ({ lastResults, tools }) => {
    if (lastResults.length === 0 && tools.includes('counter__tick'))
      return { toolCalls: [{ name: 'counter__tick', args: {} }] };
    const hold = holding.get(provider);
    if (hold) {
      holding.delete(provider);
      hold();
      return new Promise(() => {});
    }
    return { text: `Ticked: ${lastResults.join(' ')}` };
  };

async function startWorker(): Promise<ChildProcess> {
  const env = Object.assign({}, ...[...standIns.values()].map((standIn) => standIn.env));
  const started = await startWorkerProcess(stack.config, {
    ...env,
    SWARMFLOW_CONFIG: join(folder, 'swarmflow.config.json'),
  });
  workers.push(started);
  return started;
}

beforeAll(async () => {
  stack = await startTestStack();
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-models-kill-'));
  standIns = await models.startStandIns(brainFor);
  const config = {
    mcpServers: {
      counter: counterServer(join(folder, 'ticks.txt')),
    },
    models: models.standInModels(standIns),
  };
  await writeFile(join(folder, 'swarmflow.config.json'), JSON.stringify(config));
  worker = await startWorker();
});
afterAll(async () => {
  await Promise.all(workers.map(stopProcess));
  await stack?.stop();
  if (standIns) await models.stopStandIns(standIns);
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** Starts a run whose model is `provider`'s; resolves with its id once the stand-in holds its second turn. */
async function startHeldRun(provider: Provider): Promise<string> {
  const held = new Promise<void>((resolve) => holding.set(provider, resolve));
  const routineId = `models-kill-${provider}`;
  const step = { id: 'tick', prompt: 'Tick once', model: provider, tools: ['counter/tick'] };
  await models.registerOneStep(stack.client, routineId, step, { stepTimeoutMs: 3000 });
  const { runId } = await stack.client.startRun({ routineId });
  await held;
  return runId;
}

// Both providers' runs share one kill and one replacement worker: a worker process takes seconds to start.
it('a worker killed mid-turn on both stand-ins is replaced by one that retries each turn with the tool result', async () => {
  const runs = await Promise.all(
    models.providers.map(async (provider) => [provider, await startHeldRun(provider)] as const),
  );
  await killWorkerProcess(worker as ChildProcess);
  worker = await startWorker();

  for (const [provider, runId] of runs) {
    const standIn = standIns.get(provider) as ProviderStandIn;
    const outcome = await stack.client.awaitRun(runId);
    expect(standIn.realRejections(), provider).toEqual([]);
    expect(outcome, provider).toMatchObject({ status: 'completed' });
    expect(outcome.outputs.answer).toMatch(/^Ticked: ticks so far: \d+/);
    expect(await scheduledActivities(stack.client, runId)).toMatchObject({ llmTurn: 2, callMcpTool: 1 });
    const requests = standIn.bodies();
    expect(requests, provider).toHaveLength(3);
    expect(JSON.stringify(requests[2]?.messages)).toContain('ticks so far');
  }
  // Each run's tool ran once, though its step's turn ran twice.
  expect(await readFile(join(folder, 'ticks.txt'), 'utf8')).toBe('tick\ntick\n');
}, 100_000);
