import type { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordApprovalScore, recordUserTaskScore } from '../../../activities/store/decision-scores.ts';
import { listRunScores } from '../../../activities/store/run-scores.ts';
import type { ApiServer } from '../../../client/api/server.ts';
import { UnknownRunError } from '../../../client/errors.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../../client/remote/swarmflow-client.ts';
import { parseApiKey } from '../../../schema/identity.ts';
import type { RunScoreRecord } from '../../../schema/run-score.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { runCli } from '../../support/cli.ts';
import { requestJson } from '../../support/http.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { stackEnv } from '../../support/stack-env.ts';
import { callFailing, callOk, connectHttp } from '../mcp/support.ts';
import { adderModel, addStep, everythingServer, waitForState } from '../tier3-runs/support/runs.ts';
import { doubling, reviewing } from './support.ts';

/**
 * Feedback from every channel (REST, remote SDK, direct SDK, CLI, MCP) and people's decisions
 * (approvals, user tasks), all kept as scores on the run with the identity that gave them; another
 * tenant's run is unknown to each channel.
 */

let stack: TestStack;
let server: ApiServer;
let a: { tenantId: string; keys: Record<'admin' | 'approver' | 'viewer', string> };
let b: { tenantId: string; keys: Record<'admin', string> };
let runA: string;
let runB: string;

const subjectOf = (key: string) => `api-key:${parseApiKey(key)?.id}`;

beforeAll(async () => {
  stack = await startTestStack();
  a = await tenantWithKeys(stack, 'feedback-a', ['admin', 'approver', 'viewer'] as const);
  b = await tenantWithKeys(stack, 'feedback-b', ['admin'] as const);
  server = await startTestApiServer(stack);
  await stack.startWorker({
    deployment: {
      mcpServers: { everything: everythingServer },
      models: { adder: adderModel },
      toolPolicy: { rules: [{ tool: 'everything/get-sum', decision: 'approve' }] },
    },
  });
  runA = await completedRun(a.tenantId);
  runB = await completedRun(b.tenantId);
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

async function completedRun(tenantId: string): Promise<string> {
  const client = stack.client.forTenant(tenantId);
  await client.registerRoutine(doubling('fb-double'));
  const { runId } = await client.startRun({ routineId: 'fb-double', input: { amount: 1 } });
  await client.awaitRun(runId);
  return runId;
}

const scoresOf = (runId: string) => listRunScores(stack.client.db, runId);
const byId = async (runId: string, id: string) => (await scoresOf(runId)).find((score) => score.id === id);

describe('feedback over REST', () => {
  it("records the key's identity as the giver; the same aspect again replaces it", async () => {
    const give = (score: number) =>
      requestJson<RunScoreRecord>(server.url, 'POST', `/v1/runs/${runA}/feedback`, {
        token: a.keys.approver,
        body: { score, comment: 'clear answer', name: 'helpfulness' },
      });
    const first = await give(0.8);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      runId: runA,
      source: 'feedback',
      name: 'helpfulness',
      score: 0.8,
      reason: 'clear answer',
      givenBy: subjectOf(a.keys.approver),
      routineId: 'fb-double',
    });
    expect((await give(0.6)).body).toMatchObject({ id: first.body.id, score: 0.6 });
    const listed = await requestJson(server.url, 'GET', `/v1/runs/${runA}/scores`, { token: a.keys.viewer });
    expect(listed.status).toBe(200);
    expect(listed.body.scores.filter((s: RunScoreRecord) => s.id === first.body.id)).toEqual([
      expect.objectContaining({ score: 0.6, givenBy: subjectOf(a.keys.approver) }),
    ]);
  });

  it('refuses a giver in the body, a score out of range naming the field, and a viewer', async () => {
    const post = (body: unknown, token = a.keys.admin) =>
      requestJson(server.url, 'POST', `/v1/runs/${runA}/feedback`, { token, body });
    const named = await post({ score: 1, givenBy: 'mallory' });
    expect(named.status).toBe(400);
    expect(JSON.stringify(named.body)).toContain('givenBy');
    const high = await post({ score: 1.5 });
    expect(high.status).toBe(400);
    expect(JSON.stringify(high.body)).toContain('score: must be at most 1');
    const viewer = await post({ score: 1 }, a.keys.viewer);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error).toMatchObject({ permission: 'runs:feedback' });
  });

  it("answers another tenant's run as unknown, for feedback and for scores", async () => {
    const given = await requestJson(server.url, 'POST', `/v1/runs/${runA}/feedback`, {
      token: b.keys.admin,
      body: { score: 0 },
    });
    expect(given.status).toBe(404);
    expect(given.body.error).toMatchObject({ type: 'UnknownRunError' });
    const listed = await requestJson(server.url, 'GET', `/v1/runs/${runA}/scores`, { token: b.keys.admin });
    expect(listed.status).toBe(404);
    expect((await scoresOf(runA)).some((s) => s.givenBy === subjectOf(b.keys.admin))).toBe(false);
    const own = await requestJson(server.url, 'POST', `/v1/runs/${runB}/feedback`, {
      token: b.keys.admin,
      body: { score: 0.5 },
    });
    expect(own.status).toBe(201);
    const fromA = await requestJson(server.url, 'GET', `/v1/runs/${runB}/scores`, { token: a.keys.viewer });
    expect(fromA.status).toBe(404);
  });
});

describe('feedback through the SDKs', () => {
  it('remote: the key is the giver, whatever the call names; another tenant is refused', async () => {
    const remote = new RemoteSwarmflowClient({ url: server.url, apiKey: a.keys.admin });
    const recorded = await remote.runs.feedback(runA, { score: 1, givenBy: 'mallory', name: 'remote' });
    expect(recorded.givenBy).toBe(subjectOf(a.keys.admin));
    expect((await remote.runs.scores(runA)).map((s) => s.id)).toContain(recorded.id);
    await expect(remote.runs.feedback(runA, { score: 2 })).rejects.toThrow(/score: must be at most 1/);
    await expect(remote.runs.feedback(runA, { score: 2 })).rejects.toBeInstanceOf(ValidationError);
    const other = new RemoteSwarmflowClient({ url: server.url, apiKey: b.keys.admin });
    await expect(other.runs.feedback(runA, { score: 1 })).rejects.toBeInstanceOf(UnknownRunError);
    await expect(other.runs.scores(runA)).rejects.toBeInstanceOf(UnknownRunError);
    await Promise.all([remote.close(), other.close()]);
  });

  it("direct: the operator names the giver; another tenant's run is unknown", async () => {
    const recorded = await stack.client.forTenant(a.tenantId).runs.feedback(runA, {
      score: 0,
      givenBy: 'ops@example.com',
      name: 'direct',
    });
    expect(recorded).toMatchObject({ score: 0, givenBy: 'ops@example.com', name: 'direct' });
    await expect(stack.client.forTenant(b.tenantId).runs.feedback(runA, { score: 1 })).rejects.toBeInstanceOf(
      UnknownRunError,
    );
  });
});

describe('feedback from the CLI', () => {
  it('direct mode records the local user; a score out of range names the field', async () => {
    const env = {
      ...stackEnv({ ...stack.config, tenantId: a.tenantId }),
      SWARMFLOW_URL: '',
      SWARMFLOW_API_KEY: '',
    };
    const given = await runCli(
      ['runs', 'feedback', runA, '--score', '0.9', '--comment', 'nice', '--name', 'cli'],
      env,
    );
    expect(given.stderr).toBe('');
    expect(given.code).toBe(0);
    expect(given.stdout).toMatch(new RegExp(`run ${runA}: cli 0.9 recorded as given by cli:`));
    const bad = await runCli(['runs', 'feedback', runA, '--score', '3'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('score: must be at most 1');
    const listed = await runCli(['runs', 'scores', runA, '--json'], env);
    expect(JSON.parse(listed.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'cli', score: 0.9, reason: 'nice' })]),
    );
  });

  it("remote mode records the key's identity; another tenant's run is unknown", async () => {
    const env = (apiKey: string) => ({
      ...stackEnv(stack.config),
      SWARMFLOW_URL: server.url,
      SWARMFLOW_API_KEY: apiKey,
    });
    const given = await runCli(
      ['runs', 'feedback', runA, '--score', '0.4', '--name', 'cli-remote', '--json'],
      env(a.keys.approver),
    );
    expect(given.code).toBe(0);
    expect(JSON.parse(given.stdout)).toMatchObject({ score: 0.4, givenBy: subjectOf(a.keys.approver) });
    const other = await runCli(['runs', 'feedback', runA, '--score', '0.4'], env(b.keys.admin));
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain(`no run "${runA}"`);
  });
});

describe('feedback over MCP', () => {
  let mcpA: McpClient;
  let mcpB: McpClient;
  beforeAll(async () => {
    mcpA = await connectHttp(`${server.url}/mcp`, a.keys.approver);
    mcpB = await connectHttp(`${server.url}/mcp`, b.keys.admin);
  });
  afterAll(async () => {
    await mcpA?.close();
    await mcpB?.close();
  });

  it('give_feedback records the caller; run_scores lists it; another tenant is refused', async () => {
    const given = await callOk<RunScoreRecord>(mcpA, 'give_feedback', {
      runId: runA,
      score: 0.7,
      name: 'mcp',
    });
    expect(given).toMatchObject({ source: 'feedback', score: 0.7, givenBy: subjectOf(a.keys.approver) });
    const { scores } = await callOk<{ scores: RunScoreRecord[] }>(mcpA, 'run_scores', { runId: runA });
    expect(scores.map((s) => s.name)).toContain('mcp');
    expect(await callFailing(mcpB, 'give_feedback', { runId: runA, score: 0.7 })).toContain(
      `no run "${runA}"`,
    );
    expect(await callFailing(mcpB, 'run_scores', { runId: runA })).toContain(`no run "${runA}"`);
    expect(await callFailing(mcpA, 'give_feedback', { runId: runA, score: -1 })).toMatch(/score/);
  });
});

describe('decisions as scores', () => {
  it("a completed user task's score or approval is a score given by the completer", async () => {
    const client = stack.client.forTenant(a.tenantId);
    await client.registerRoutine(reviewing('fb-review'));
    const complete = async (output: Record<string, unknown>) => {
      const { runId } = await client.startRun({ routineId: 'fb-review', input: {} });
      await vi.waitFor(
        async () => expect(await client.listTasks({ runId, status: 'open' })).toHaveLength(1),
        {
          timeout: 15_000,
          interval: 100,
        },
      );
      const answer = await requestJson(server.url, 'POST', `/v1/runs/${runId}/tasks`, {
        token: a.keys.approver,
        body: { elementId: 'review', output },
      });
      expect(answer.status).toBe(200);
      await client.awaitRun(runId);
      return runId;
    };
    const scored = await complete({ score: 0.25, comment: 'needs work' });
    expect(await scoresOf(scored)).toEqual([
      expect.objectContaining({
        source: 'userTask',
        name: 'review',
        score: 0.25,
        reason: 'needs work',
        givenBy: subjectOf(a.keys.approver),
      }),
    ]);
    const rejected = await complete({ approved: false });
    expect(await scoresOf(rejected)).toEqual([expect.objectContaining({ source: 'userTask', score: 0 })]);
    const plain = await complete({ note: 'seen' });
    expect(await scoresOf(plain)).toEqual([]);

    // The activity retried: the score is there once.
    const [row] = await scoresOf(scored);
    const taskKey = (row?.details as { taskKey: string } | undefined)?.taskKey ?? '';
    const again = { runId: scored, taskKey, output: { score: 0.25 }, completedBy: 'x' };
    await recordUserTaskScore(stack.client.db, again);
    expect(await scoresOf(scored)).toHaveLength(1);
  });

  it('an approval decision is a score: approved 1, rejected 0, given by the decider', async () => {
    const client = stack.client.forTenant(a.tenantId);
    const approvedAdd = { ...addStep, requireApprovalFor: ['everything/*'] };
    await client.registerRoutine({
      id: 'fb-approve',
      body: { kind: 'sequence', steps: [approvedAdd] as never },
    });
    const parked = async () => {
      const { runId } = await client.startRun({ routineId: 'fb-approve', input: { a: 2, b: 3 } });
      await waitForState(
        stack.client,
        runId,
        'approval pending',
        (state) => state.pendingApprovals.length > 0,
      );
      return runId;
    };
    const approved = await parked();
    const decided = await requestJson(server.url, 'POST', `/v1/runs/${approved}/approvals`, {
      token: a.keys.approver,
      body: { callId: 'add#1/call-1', approved: true, reason: 'fine' },
    });
    expect(decided.status).toBe(200);
    await client.awaitRun(approved);
    expect(await scoresOf(approved)).toEqual([
      expect.objectContaining({
        id: `approval:${approved}:add#1/call-1`,
        source: 'approval',
        name: 'approval:everything/get-sum',
        score: 1,
        reason: 'fine',
        givenBy: subjectOf(a.keys.approver),
      }),
    ]);

    const rejected = await parked();
    const mcp = await connectHttp(`${server.url}/mcp`, a.keys.approver);
    await callOk(mcp, 'decide_approval', {
      kind: 'run',
      id: rejected,
      callId: 'add#1/call-1',
      approved: false,
    });
    await mcp.close();
    await client.awaitRun(rejected);
    expect(await byId(rejected, `approval:${rejected}:add#1/call-1`)).toMatchObject({
      score: 0,
      givenBy: subjectOf(a.keys.approver),
    });

    // Recorded again (a retry): still one row, the first decision's.
    const retry = {
      tenantId: a.tenantId,
      runId: approved,
      callId: 'add#1/call-1',
      approved: false,
      decidedBy: 'x',
    };
    expect(await recordApprovalScore(stack.client.db, retry)).toBe(true);
    expect(await scoresOf(approved)).toEqual([expect.objectContaining({ score: 1 })]);
    // Named with another tenant, the run is not found, so nothing is scored.
    expect(await recordApprovalScore(stack.client.db, { ...retry, tenantId: b.tenantId })).toBe(false);
  });
});
