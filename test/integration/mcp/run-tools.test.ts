import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { callFailing, callOk, connectStdio } from './support.ts';

let stack: TestStack;
let mcp: Client;

beforeAll(async () => {
  stack = await startTestStack({ tenantId: 'mcp-run-tools' });
  await stack.startWorker();
  await stack.client.registerRoutine({
    id: 'mcp-greeting',
    name: 'Greeting for MCP',
    description: 'Greets a person by name',
    inputSchema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    body: {
      kind: 'sequence',
      steps: [{ id: 'greet', expression: '"Hello, " + name', resultVariable: 'greeting' }],
    },
  });
  mcp = await connectStdio(stack.config);
});
afterAll(async () => {
  await mcp?.close();
  await stack?.stop();
});

describe('the MCP server over stdio: routines, runs and approvals', () => {
  it('lists every tool with an input schema', async () => {
    const { tools } = await mcp.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'decide_approval',
      'decide_proposal',
      'find_routines',
      'get_run_status',
      'get_swarm_status',
      'give_feedback',
      'list_approvals',
      'list_proposals',
      'run_routine',
      'run_scores',
      'schedule_improvement',
      'search_knowledge',
      'send_swarm_message',
      'start_improvement_cycle',
      'start_swarm',
      'stop_swarm',
      'unschedule_improvement',
      'update_swarm_shared_state',
    ]);
    const startSwarm = tools.find((tool) => tool.name === 'start_swarm');
    expect(startSwarm?.inputSchema.required).toEqual(['goal']);
  });

  it('finds routines by words of their name and description', async () => {
    const found = await callOk<{ routines: { id: string }[] }>(mcp, 'find_routines', {
      query: 'greets someone',
    });
    expect(found.routines.map((routine) => routine.id)).toEqual(['mcp-greeting']);
    const none = await callOk<{ routines: unknown[] }>(mcp, 'find_routines', { query: 'invoices' });
    expect(none.routines).toEqual([]);
  });

  it('searches the knowledge base by meaning: a paraphrase finds the routine', async () => {
    const found = await callOk<{ hits: { kind: string; sourceId: string; score: number }[] }>(
      mcp,
      'search_knowledge',
      { query: 'say hello to a person', kinds: ['routine'], limit: 3 },
    );
    expect(found.hits[0]).toMatchObject({ kind: 'routine', sourceId: 'mcp-greeting' });
  });

  it('runs a routine and waits for its outcome, or starts it and reports its status', async () => {
    const outcome = await callOk(mcp, 'run_routine', {
      routineId: 'mcp-greeting',
      input: { name: 'Ada' },
      wait: true,
    });
    expect(outcome).toMatchObject({ status: 'completed', outputs: { greeting: 'Hello, Ada' } });
    const started = await callOk<{ runId: string }>(mcp, 'run_routine', {
      routineId: 'mcp-greeting',
      input: { name: 'Grace' },
      runId: 'mcp-started-run',
    });
    expect(started).toEqual({ runId: 'mcp-started-run', workflowId: 'run/mcp-started-run' });
    await expect
      .poll(async () => (await callOk(mcp, 'get_run_status', { runId: 'mcp-started-run' })).status)
      .toBe('completed');
  });

  it('rejects bad input with an error naming the field, before anything starts', async () => {
    const missing = await callFailing(mcp, 'run_routine', { input: { name: 'Ada' } });
    expect(missing).toMatch(/routineId/);
    const unknownField = await callFailing(mcp, 'run_routine', { routineId: 'mcp-greeting', inptu: {} });
    expect(unknownField).toMatch(/inptu/);
    const badInput = await callFailing(mcp, 'run_routine', {
      routineId: 'mcp-greeting',
      input: {},
      runId: 'never',
    });
    expect(badInput).toMatch(/name/);
    expect(await callFailing(mcp, 'get_run_status', { runId: 'never' })).toMatch(/never/);
  });

  it('lists no pending approvals and refuses a decision on an unknown run', async () => {
    expect(await callOk(mcp, 'list_approvals', { kind: 'run' })).toEqual({ approvals: [] });
    const refused = await callFailing(mcp, 'decide_approval', {
      kind: 'run',
      id: 'no-such-run',
      callId: 'x',
      approved: true,
    });
    expect(refused).toMatch(/no-such-run/);
  });
});
