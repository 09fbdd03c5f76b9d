import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseDeploymentConfig } from '../../../activities/config/load-deployment-config.ts';
import { createMcpActivities } from '../../../activities/mcp/mcp-activities.ts';
import { McpPool } from '../../../activities/mcp/mcp-pool.ts';
import { ModelRegistry } from '../../../activities/models/model-registry.ts';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';
import { createLlmTurnActivity } from '../../../activities/strategies/llm-turn-activity.ts';
import { quietTemporalLogs } from '../../../workers/logging.ts';
import { type HttpStub, startHttpStub } from '../../unit/tier3/support/http-stub.ts';
import type { llmTurnWorkflow, toolCallsWorkflow } from './support/tier3-workflows.ts';

/** The Tier 3 activities on a real Temporal dev server: idempotency keys, failure classes and Retry-After. */

quietTemporalLogs();

const taskQueue = `tier3-${randomUUID()}`;
let connection: NativeConnection;
let clientConnection: Connection;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let pool: McpPool;
let openAi: HttpStub;

beforeAll(async () => {
  let calls = 0;
  openAi = await startHttpStub(() => {
    calls += 1;
    if (calls === 1)
      return { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } };
    return {
      status: 200,
      body: {
        id: 'c',
        object: 'chat.completion',
        created: 1,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'pong' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
      },
    };
  });
  const metaServer = {
    command: process.execPath,
    args: ['--import', 'tsx', fileURLToPath(new URL('./support/meta-echo-server.ts', import.meta.url))],
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
  };
  const config = parseDeploymentConfig(
    {
      mcpServers: { meta: metaServer, locked: metaServer },
      models: { local: { provider: 'openai', model: 'm', baseURL: `${openAi.url}/v1` } },
      defaultModel: 'local',
      toolPolicy: { rules: [{ tool: 'locked/*', decision: 'deny' }] },
    },
    '/',
  );
  pool = new McpPool(config.mcpServers);
  const breakers = new CircuitBreakers();
  connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./support/tier3-workflows.ts', import.meta.url)),
    activities: {
      ...createMcpActivities({ pool, prices: config.prices, policy: config.toolPolicy }),
      llmTurn: createLlmTurnActivity({ models: new ModelRegistry(config), breakers, prices: config.prices }),
    },
  });
  running = worker.run();
  clientConnection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection: clientConnection });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await Promise.all([pool?.close(), connection?.close(), clientConnection?.close(), openAi?.close()]);
});

const execute = <W extends typeof toolCallsWorkflow | typeof llmTurnWorkflow>(
  workflow: string,
  args: Parameters<W>,
) => client.workflow.execute<W>(workflow, { taskQueue, workflowId: `tier3-${randomUUID()}`, args });

describe('Tier 3 activities on Temporal', () => {
  it('send each tool call with a key derived from the workflow, run and activity ids', async () => {
    const workflowId = `tier3-${randomUUID()}`;
    const handle = await client.workflow.start<typeof toolCallsWorkflow>('toolCallsWorkflow', {
      taskQueue,
      workflowId,
      args: [
        [
          { server: 'meta', tool: 'meta' },
          { server: 'meta', tool: 'meta', idempotencyKey: 'given-key' },
        ],
      ],
    });
    const [first, second] = await handle.result();
    const { runId } = await handle.describe();
    expect(JSON.parse(first?.text ?? '')).toMatchObject({
      meta: { 'swarmflow/idempotencyKey': `${workflowId}/${runId}/1` },
    });
    expect(JSON.parse(second?.text ?? '')).toMatchObject({
      meta: { 'swarmflow/idempotencyKey': 'given-key' },
    });
    expect(second?.usage.toolCalls).toBe(1);
  });

  it('fail a denied call at once, without retries', async () => {
    const failed = await execute<typeof toolCallsWorkflow>('toolCallsWorkflow', [
      [{ server: 'locked', tool: 'meta' }],
    ]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    const activity = (failed as WorkflowFailedError).cause;
    expect(activity).toBeInstanceOf(ActivityFailure);
    expect(activity?.cause).toBeInstanceOf(ApplicationFailure);
    expect(activity?.cause).toMatchObject({ type: 'PolicyDenied', nonRetryable: true });
  });

  it('retry a rate-limited LLM turn after the delay Retry-After asked for, not the policy interval', async () => {
    const started = Date.now();
    const outcome = await execute<typeof llmTurnWorkflow>('llmTurnWorkflow', [
      { messages: [{ role: 'user', text: 'ping' }] },
    ]);
    expect(outcome).toMatchObject({
      model: 'local',
      message: { text: 'pong' },
      usage: { inputTokens: 5, outputTokens: 1 },
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(openAi.requests).toHaveLength(2);
  });
});
