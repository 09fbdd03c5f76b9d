import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { stopProcess } from '../tier3/support/mcp-servers.ts';
import { type ChatStub, completion, startChatStub } from './support/chat-completions-stub.ts';
import { scheduledActivities } from './support/runs.ts';

/**
 * A worker process killed after a tool call, while the next LLM turn runs: a new worker finishes
 * the run from history, and the tool ran exactly once (counted in a file, across processes).
 */

const cli = fileURLToPath(new URL('../../../bin/swarmflow.js', import.meta.url));
const counterServer = fileURLToPath(new URL('./support/counter-server.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

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
      counter: {
        command: process.execPath,
        args: ['--import', 'tsx', counterServer],
        cwd: repoRoot,
        env: { COUNTER_FILE: join(folder, 'ticks.txt') },
      },
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
function startWorkerProcess(): Promise<ChildProcess> {
  const { config } = stack;
  const child = spawn(process.execPath, [cli, 'worker'], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: config.temporalAddress,
      DATABASE_URL: config.databaseUrl,
      SWARMFLOW_TASK_QUEUE: config.taskQueue,
      SWARMFLOW_CONFIG: join(folder, 'swarmflow.config.json'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  workers.push(child);
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('worker polling')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}: ${stderr}`)));
  });
}

it('never repeats a tool call when the worker dies between the call and the next turn', async () => {
  await stack.client.registerRoutine({
    id: 'tick-once',
    body: { kind: 'sequence', steps: [{ id: 'tick', prompt: 'Tick once', tools: ['counter/tick'] }] },
    limits: { stepTimeoutMs: 3000 },
  });
  const first = await startWorkerProcess();
  const { runId } = await stack.client.startRun({ routineId: 'tick-once' });
  await nextTurn;
  await stopProcess(first);

  await startWorkerProcess();
  const outcome = await stack.client.awaitRun(runId);
  expect(outcome).toMatchObject({ status: 'completed', outputs: { answer: 'Ticked once.' } });
  expect(await readFile(join(folder, 'ticks.txt'), 'utf8')).toBe('tick\n');
  expect(await scheduledActivities(stack.client, runId)).toMatchObject({ llmTurn: 2, callMcpTool: 1 });
  expect(stub.requests).toHaveLength(3);
}, 120_000);
