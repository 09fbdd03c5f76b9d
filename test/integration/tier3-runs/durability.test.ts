import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { startWorkerProcess } from '../../support/worker-process.ts';
import { stopProcess } from '../tier3/support/mcp-servers.ts';
import { type ChatStub, completion, startChatStub } from './support/chat-completions-stub.ts';
import { counterServer, scheduledActivities } from './support/runs.ts';

/**
 * A worker process killed after a tool call, while the next LLM turn runs: a new worker finishes
 * the run from history, and the tool ran exactly once (counted in a file, across processes).
 */

let stack: TestStack;
let folder: string;
let stub: ChatStub;
let nextTurnStarted: () => void;
const nextTurn = new Promise<void>((resolve) => {
  nextTurnStarted = resolve;
});
const workers: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-durability-'));
  let heldTurns = 0;
  stub = await startChatStub((request) => {
    if (!request.messages.some((message) => message.role === 'tool')) {
      return completion({ toolCalls: ['counter__tick'] });
    }
    heldTurns += 1;
    if (heldTurns > 1) return completion({ text: 'Ticked once.' });
    nextTurnStarted();
    return 'hold';
  });
  const config = {
    mcpServers: {
      counter: counterServer(join(folder, 'ticks.txt')),
    },
    models: { stub: { provider: 'openai', model: 'stub', baseURL: stub.baseURL } },
    defaultModel: 'stub',
  };
  await writeFile(join(folder, 'swarmflow.config.json'), JSON.stringify(config));
});
afterAll(async () => {
  await Promise.all(workers.map(stopProcess));
  await stack?.stop();
  await stub?.close();
  await rm(folder, { recursive: true, force: true });
});

/** A `swarmflow worker` process with the deployment config; resolves once it polls. */
async function startWorker(): Promise<ChildProcess> {
  const worker = await startWorkerProcess(stack.config, {
    SWARMFLOW_CONFIG: join(folder, 'swarmflow.config.json'),
  });
  workers.push(worker);
  return worker;
}

it('never repeats a tool call when the worker dies between the call and the next turn', async () => {
  await stack.client.registerRoutine({
    id: 'tick-once',
    body: { kind: 'sequence', steps: [{ id: 'tick', prompt: 'Tick once', tools: ['counter/tick'] }] },
    limits: { stepTimeoutMs: 3000 },
  });
  const first = await startWorker();
  const { runId } = await stack.client.startRun({ routineId: 'tick-once' });
  await nextTurn;
  await stopProcess(first);

  await startWorker();
  const outcome = await stack.client.awaitRun(runId);
  expect(outcome).toMatchObject({ status: 'completed', outputs: { answer: 'Ticked once.' } });
  expect(await readFile(join(folder, 'ticks.txt'), 'utf8')).toBe('tick\n');
  expect(await scheduledActivities(stack.client, runId)).toMatchObject({ llmTurn: 2, callMcpTool: 1 });
  expect(stub.requests).toHaveLength(3);
}, 120_000);
