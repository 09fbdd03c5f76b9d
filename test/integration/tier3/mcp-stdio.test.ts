import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeploymentConfig } from '../../../activities/config/load-deployment-config.ts';
import { meteredToolCall, toolCatalog } from '../../../activities/mcp/mcp-activities.ts';
import { IDEMPOTENCY_META_KEY, McpPool } from '../../../activities/mcp/mcp-pool.ts';
import { MCP_TASK_PREFIX, mcpTaskTypes } from '../../../activities/task-types/mcp.ts';
import { TaskTypeRegistry } from '../../../activities/task-types/registry.ts';
import type { DeploymentConfig } from '../../../schema/deployment-config.ts';
import { childPids, eventually, serverBin } from './support/mcp-servers.ts';

/** The pool against real MCP servers over stdio: server-everything, server-memory, and an SDK-made server. */

let folder: string;
let config: DeploymentConfig;
let pool: McpPool;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-mcp-'));
  config = parseDeploymentConfig(
    {
      mcpServers: {
        everything: { command: serverBin('mcp-server-everything'), args: ['stdio'] },
        memory: {
          command: serverBin('mcp-server-memory'),
          env: { MEMORY_FILE_PATH: join(folder, 'memory.jsonl') },
        },
        meta: {
          command: process.execPath,
          args: ['--import', 'tsx', fileURLToPath(new URL('./support/meta-echo-server.ts', import.meta.url))],
          cwd: fileURLToPath(new URL('../../..', import.meta.url)),
        },
      },
      prices: { toolCall: 2, perSecond: 0 },
      toolPolicy: { rules: [{ tool: 'memory/delete_*', decision: 'deny' }] },
    },
    folder,
  );
  pool = new McpPool(config.mcpServers);
});

afterAll(async () => {
  await pool?.close();
  await rm(folder, { recursive: true, force: true });
});

const scope = (idempotencyKey: string) => ({ signal: new AbortController().signal, idempotencyKey });

describe('the MCP pool over stdio', () => {
  it('connects lazily and lists tools once per connection', async () => {
    expect(await childPids('mcp-server-everything')).toEqual([]);
    const tools = await pool.listTools('everything');
    expect(await childPids('mcp-server-everything')).toHaveLength(1);
    expect(await pool.listTools('everything')).toBe(tools);
    expect(tools.find((tool) => tool.name === 'get-sum')).toMatchObject({
      server: 'everything',
      description: 'Returns the sum of two numbers',
      inputSchema: { properties: { a: { type: 'number' }, b: { type: 'number' } } },
      annotations: { readOnlyHint: true },
      risk: 'low',
    });
  });

  it("returns a tool's text, and its structured content when it has an output schema", async () => {
    expect(await pool.callTool('everything', 'get-sum', { a: 2, b: 3 })).toEqual({
      text: 'The sum of 2 and 3 is 5.',
      isError: false,
    });
    expect(await pool.callTool('everything', 'get-structured-content', { location: 'Chicago' })).toEqual({
      structuredContent: { temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 },
      text: '{"temperature":36,"conditions":"Light rain / drizzle","humidity":82}',
      isError: false,
    });
  });

  it('reports a tool error as a result, not a failure', async () => {
    const result = await pool.callTool('everything', 'get-sum', { a: 'two' });
    expect(result).toMatchObject({ isError: true, text: expect.stringContaining('Input validation error') });
  });

  it('reconnects on a fresh connection after the server process dies', async () => {
    const tools = await pool.listTools('everything');
    const [pid] = await childPids('mcp-server-everything');
    process.kill(pid ?? 0, 'SIGKILL');
    await eventually(async () => !(await childPids('mcp-server-everything')).includes(pid ?? 0));
    expect(await pool.callTool('everything', 'get-sum', { a: 1, b: 1 })).toMatchObject({
      text: 'The sum of 1 and 1 is 2.',
    });
    const [fresh] = await childPids('mcp-server-everything');
    expect(fresh).not.toBe(pid);
    expect(await pool.listTools('everything')).not.toBe(tools);
  });

  it('retries a call cut short by a crash once, on a fresh connection', async () => {
    const call = pool.callTool('everything', 'trigger-long-running-operation', { duration: 1, steps: 1 });
    const [pid] = await childPids('mcp-server-everything');
    setTimeout(() => process.kill(pid ?? 0, 'SIGKILL'), 300);
    expect(await call).toMatchObject({
      isError: false,
      text: expect.stringContaining('Long running operation completed'),
    });
    expect(await childPids('mcp-server-everything')).not.toContain(pid);
  });

  it('sends the idempotency key as request _meta and runs a key only once on this worker', async () => {
    const first = await pool.callTool('meta', 'meta', {}, { idempotencyKey: 'wf-1/run-1/7' });
    expect(JSON.parse(first.text)).toEqual({ meta: { [IDEMPOTENCY_META_KEY]: 'wf-1/run-1/7' }, runs: 1 });
    expect(await pool.callTool('meta', 'meta', {}, { idempotencyKey: 'wf-1/run-1/7' })).toEqual(first);
    const other = await pool.callTool('meta', 'meta', {}, { idempotencyKey: 'wf-1/run-1/8' });
    expect(JSON.parse(other.text)).toMatchObject({ runs: 2 });
  });

  it('does not repeat a side effect for a retried attempt with the same key', async () => {
    const entities = { entities: [{ name: 'order-42', entityType: 'order', observations: ['paid'] }] };
    const created = await pool.callTool('memory', 'create_entities', entities, {
      idempotencyKey: 'wf/run/3',
    });
    expect(created.structuredContent).toEqual(entities);
    expect(
      await pool.callTool('memory', 'create_entities', entities, { idempotencyKey: 'wf/run/3' }),
    ).toEqual(created);
    const uncached = await pool.callTool('memory', 'create_entities', entities, {
      idempotencyKey: 'wf/run/4',
    });
    expect(uncached.structuredContent).toEqual({ entities: [] });
  });
});

describe('the MCP activities', () => {
  const dependencies = () => ({ pool, prices: config.prices, policy: config.toolPolicy });

  it('list every tool with the deployment policy', async () => {
    const catalog = await toolCatalog(dependencies());
    expect(catalog.policy).toEqual(config.toolPolicy);
    expect(catalog.tools.map((tool) => `${tool.server}/${tool.name}`)).toEqual(
      expect.arrayContaining([
        'everything/get-sum',
        'memory/create_entities',
        'memory/delete_entities',
        'meta/meta',
      ]),
    );
  });

  it('meter a call: one tool call, its wall time and credits', async () => {
    const outcome = await meteredToolCall(
      dependencies(),
      { server: 'everything', tool: 'get-sum', args: { a: 20, b: 22 } },
      scope('wf/run/activity-1'),
    );
    expect(outcome).toMatchObject({ text: 'The sum of 20 and 22 is 42.', isError: false });
    expect(outcome.usage).toMatchObject({ toolCalls: 1, credits: 2, inputTokens: 0 });
    expect(outcome.usage.wallMs).toBeGreaterThanOrEqual(0);
  });

  it('refuse what the deployment policy denies, without retries and without calling', async () => {
    const error = await meteredToolCall(
      dependencies(),
      { server: 'memory', tool: 'delete_entities', args: { entityNames: ['order-42'] } },
      scope('wf/run/activity-2'),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({
      type: 'PolicyDenied',
      nonRetryable: true,
      message:
        'tool memory/delete_entities is denied by the deployment rule 1 (tool "memory/delete_*"): deny',
    });
    const graph = await pool.callTool('memory', 'read_graph', {});
    expect(graph.structuredContent).toMatchObject({ entities: [{ name: 'order-42' }] });
  });

  it('refuse an unknown server or tool without retries', async () => {
    const unknownServer = await meteredToolCall(
      dependencies(),
      { server: 'nope', tool: 'x' },
      scope('k1'),
    ).catch((e) => e);
    expect(unknownServer).toMatchObject({ type: 'ConfigurationError', nonRetryable: true });
    expect(unknownServer.message).toBe('unknown MCP server "nope"; configured: everything, memory, meta');
    const unknownTool = await meteredToolCall(
      dependencies(),
      { server: 'everything', tool: 'nope' },
      scope('k2'),
    ).catch((e) => e);
    expect(unknownTool).toMatchObject({ type: 'ConfigurationError', nonRetryable: true });
    expect(unknownTool.message).toMatch(/^MCP server "everything" has no tool "nope"; its tools: echo, /);
  });
});

describe('mcp: service tasks', () => {
  let key = 0;
  const registry = () => {
    const types = new TaskTypeRegistry();
    types.registerPrefix(
      MCP_TASK_PREFIX,
      mcpTaskTypes(pool, { policy: config.toolPolicy, idempotencyKey: () => `task-${++key}` }),
    );
    return types;
  };
  const context = (variables: Record<string, unknown>) => ({
    variables: variables as never,
    headers: {},
    signal: new AbortController().signal,
    heartbeat: () => undefined,
  });

  it('call the tool with the variables its input schema names, the text as result', async () => {
    const handler = registry().resolve('mcp:everything/get-sum');
    expect(await handler(context({ a: 4, b: 5, customer: 'not sent' }))).toEqual({
      result: 'The sum of 4 and 5 is 9.',
    });
  });

  it('give structured content as result when the tool has an output schema', async () => {
    const handler = registry().resolve('mcp:memory/search_nodes');
    expect(await handler(context({ query: 'order-42' }))).toEqual({
      result: {
        entities: [{ name: 'order-42', entityType: 'order', observations: ['paid'] }],
        relations: [],
      },
    });
  });

  it('fail without retries when the tool reports an error or the type names no tool', async () => {
    const error = await registry()
      .resolve('mcp:everything/get-sum')(context({ a: 'x' }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ type: 'McpToolError', nonRetryable: true });
    expect(() => registry().resolve('mcp:get-sum')).toThrow(
      /must name a server and a tool: "mcp:<server>\/<tool>"/,
    );
  });
});
