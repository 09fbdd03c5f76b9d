import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../client/api/server.ts';
import type { SwarmState } from '../../../schema/swarm.ts';
import { startTestApiServer } from '../../support/api-server.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { callFailing, callOk, connectHttp } from './support.ts';

/** A leader that plans nothing and acknowledges messages: the swarm waits for what MCP clients tell it. */
const attentiveLeader = {
  models: {
    leader: {
      provider: 'scripted' as const,
      turns: [
        { match: '^Phase: planning', text: 'Waiting for instructions.' },
        { match: '^Phase: messages[\\s\\S]*from user: please', text: 'Noted.' },
        { match: '^Phase: (review|failures)', text: 'Reviewed.' },
      ],
    },
  },
  defaultModel: 'leader',
};

let stack: TestStack;
let server: ApiServer;
let mcp: Client;

beforeAll(async () => {
  stack = await startTestStack({ tenantId: 'mcp-swarm-tools' });
  await stack.startWorker({ deployment: attentiveLeader });
  await stack.client.registerRoutine({
    id: 'mcp-nap',
    name: 'Nap',
    description: 'Sleeps long enough to be stopped',
    limits: { stepTimeoutMs: 120_000 },
    body: { kind: 'sequence', steps: [{ id: 'nap', type: 'sleep', headers: { ms: '60000' } }] },
  });
  server = await startTestApiServer(stack, { insecureLocal: true });
  mcp = await connectHttp(`${server.url}/mcp`);
});
afterAll(async () => {
  await mcp?.close();
  await server?.close();
  await stack?.stop();
});

const status = (swarmId: string) => callOk<SwarmState>(mcp, 'get_swarm_status', { swarmId });

describe('the MCP server over Streamable HTTP: driving a swarm', () => {
  it('starts a swarm, messages it, edits its shared state, rejects bad input unharmed, and stops it', async () => {
    const started = await callOk(mcp, 'start_swarm', {
      goal: 'Do what the MCP client asks',
      swarmId: 'mcp-swarm',
      team: [{ id: 'lead', role: 'leader' }],
      awaitMessages: true,
    });
    expect(started).toEqual({ swarmId: 'mcp-swarm', workflowId: 'swarm/mcp-swarm' });
    await expect.poll(async () => (await status('mcp-swarm')).status, { timeout: 30_000 }).toBe('idle');

    const { seq } = await callOk<{ seq: number }>(mcp, 'send_swarm_message', {
      swarmId: 'mcp-swarm',
      text: 'please take a nap',
    });
    expect(seq).toBeGreaterThan(0);
    await expect
      .poll(async () => (await status('mcp-swarm')).transcript.map((entry) => `${entry.from}: ${entry.text}`))
      .toContain('lead: Noted.');

    const malformed = await callFailing(mcp, 'update_swarm_shared_state', {
      swarmId: 'mcp-swarm',
      subtasks: { set: [{ id: 'nap', description: 'nap', dependsOn: 'ghost' }] },
    });
    expect(malformed).toMatch(/subtasks\.set\[0\]\.dependsOn/);
    const dangling = await callFailing(mcp, 'update_swarm_shared_state', {
      swarmId: 'mcp-swarm',
      subtasks: { set: [{ id: 'nap', description: 'nap', dependsOn: ['ghost'] }] },
    });
    expect(dangling).toMatch(/ghost/);
    expect(await callFailing(mcp, 'stop_swarm', { swarmId: 'mcp-swarm', mode: 'now' })).toMatch(/mode/);
    const unharmed = await status('mcp-swarm');
    expect(unharmed).toMatchObject({ status: 'idle', subtasks: [] });

    const updated = await callOk<SwarmState>(mcp, 'update_swarm_shared_state', {
      swarmId: 'mcp-swarm',
      subtasks: { set: [{ id: 'nap', description: 'Take a nap', routineId: 'mcp-nap' }] },
      blackboard: { set: { askedBy: 'mcp' } },
    });
    expect(updated.blackboard).toEqual({ askedBy: 'mcp' });
    await expect
      .poll(async () => (await status('mcp-swarm')).subtasks[0]?.status, { timeout: 30_000 })
      .toBe('in_progress');

    const stopping = await callOk(mcp, 'stop_swarm', {
      swarmId: 'mcp-swarm',
      mode: 'force',
      reason: 'enough',
    });
    expect(stopping).toMatchObject({
      swarmId: 'mcp-swarm',
      status: expect.stringMatching(/stopping|stopped/),
    });
    await expect.poll(async () => (await status('mcp-swarm')).status, { timeout: 30_000 }).toBe('stopped');
    expect((await status('mcp-swarm')).subtasks[0]?.status).toBe('cancelled');
  });

  it('lists approvals across runs and swarms', async () => {
    expect(await callOk(mcp, 'list_approvals', {})).toEqual({ approvals: [] });
    expect(await callOk(mcp, 'list_approvals', { kind: 'swarm', id: 'mcp-swarm' })).toEqual({
      approvals: [],
    });
    expect(await callFailing(mcp, 'list_approvals', { id: 'mcp-swarm' })).toMatch(/kind/);
  });

  it('names the missing field of a swarm to start, and starts nothing', async () => {
    expect(await callFailing(mcp, 'start_swarm', { swarmId: 'never-started' })).toMatch(/goal/);
    expect(await callFailing(mcp, 'get_swarm_status', { swarmId: 'never-started' })).toMatch(/never-started/);
  });
});
