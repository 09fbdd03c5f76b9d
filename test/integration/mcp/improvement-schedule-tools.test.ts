import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../client/api/server.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { callFailing, callOk, connectHttp } from './support.ts';

/**
 * schedule_improvement and unschedule_improvement over MCP (HTTP, with API keys): an author's key
 * creates, replaces and deletes the routine's Temporal Schedule; a viewer's key is refused for want
 * of routines:write; input that gives both or neither of every and cron is refused naming the field.
 */

let stack: TestStack;
let server: ApiServer;
let tenant: { tenantId: string; keys: Record<'author' | 'viewer', string> };
let author: Client;
let viewer: Client;

beforeAll(async () => {
  stack = await startTestStack();
  server = await startTestApiServer(stack);
  tenant = await tenantWithKeys(stack, 'mcp-improve-schedule', ['author', 'viewer'] as const);
  await stack.client.forTenant(tenant.tenantId).registerRoutine({
    id: 'mcp-echo',
    body: { kind: 'sequence', steps: [{ id: 'echo', expression: 'text', resultVariable: 'echoed' }] },
  });
  author = await connectHttp(`${server.url}/mcp`, tenant.keys.author);
  viewer = await connectHttp(`${server.url}/mcp`, tenant.keys.viewer);
});
afterAll(async () => {
  await author?.close();
  await viewer?.close();
  await server?.close();
  await stack?.stop();
});

describe('the MCP improvement schedule tools', () => {
  it("schedules a routine's cycles as a Temporal Schedule, replaces it, and deletes it", async () => {
    const scheduleId = `improve/${tenant.tenantId}/mcp-echo`;
    const created = await callOk(author, 'schedule_improvement', { routineId: 'mcp-echo', every: '12h' });
    expect(created).toEqual({ scheduleId, routineId: 'mcp-echo', every: '12h', cron: null });
    const handle = stack.client.temporal.schedule.getHandle(scheduleId);
    const described = await handle.describe();
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'improvementWorkflow' });
    expect(described.spec.intervals?.[0]?.every).toBe(12 * 60 * 60 * 1000);

    const replaced = await callOk(author, 'schedule_improvement', {
      routineId: 'mcp-echo',
      cron: '0 3 * * *',
      budgetCredits: 20,
    });
    expect(replaced).toMatchObject({ scheduleId, every: null, cron: '0 3 * * *' });
    const after = await handle.describe();
    expect(after.spec.intervals ?? []).toEqual([]);
    expect(after.action.type === 'startWorkflow' && after.action.args).toMatchObject([
      { tenantId: tenant.tenantId, routineId: 'mcp-echo', budgetCredits: 20 },
    ]);

    expect(await callOk(author, 'unschedule_improvement', { routineId: 'mcp-echo' })).toEqual({
      routineId: 'mcp-echo',
      deleted: true,
    });
    expect(await callOk(author, 'unschedule_improvement', { routineId: 'mcp-echo' })).toEqual({
      routineId: 'mcp-echo',
      deleted: false,
    });
  });

  it('refuses a key without routines:write, and input with both or neither of every and cron', async () => {
    const denied = await callFailing(viewer, 'schedule_improvement', { routineId: 'mcp-echo', every: '1d' });
    expect(denied).toMatch(/permission routines:write denied/);
    const deniedDelete = await callFailing(viewer, 'unschedule_improvement', { routineId: 'mcp-echo' });
    expect(deniedDelete).toMatch(/permission routines:write denied/);

    const both = await callFailing(author, 'schedule_improvement', {
      routineId: 'mcp-echo',
      every: '1d',
      cron: '0 3 * * *',
    });
    expect(both).toMatch(/give exactly one of every \(e\.g\. 1d\) and cron .* at every$/);
    const badInterval = await callFailing(author, 'schedule_improvement', {
      routineId: 'mcp-echo',
      every: 'daily',
    });
    expect(badInterval).toMatch(/give an interval such as 1d, 12h or 30m.* at every$/);
    const unknown = await callFailing(author, 'schedule_improvement', {
      routineId: 'mcp-nothing',
      every: '1d',
    });
    expect(unknown).toMatch(/mcp-nothing/);
    await expect(
      stack.client.temporal.schedule.getHandle(`improve/${tenant.tenantId}/mcp-echo`).describe(),
    ).rejects.toThrow(/not found/i);
  });
});
