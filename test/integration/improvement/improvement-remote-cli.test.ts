import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../client/api/server.ts';
import { ImprovementCycleFailedError, UnknownProposalError } from '../../../client/improvement-errors.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../../client/remote/swarmflow-client.ts';
import type { SwarmflowClient } from '../../../client/sdk.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { runCli } from '../../support/cli.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { registerWithRuns, triageDeployment, triageModels } from '../../support/triage.ts';

/**
 * The `improve` commands with --url and --api-key: every one goes to the API server (Temporal and
 * PostgreSQL are pointed at closed ports), with the key's permission, and the decision recorded as the key's.
 */

let stack: TestStack;
let server: ApiServer;
let tenant: { tenantId: string; keys: Record<'author' | 'approver' | 'viewer', string> };
let client: SwarmflowClient;
let home: string;

const deployment = triageDeployment({ premium: triageModels.premium, budget: triageModels.budget });

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker({ deployment });
  server = await startTestApiServer(stack);
  tenant = await tenantWithKeys(stack, 'improve-remote', ['author', 'approver', 'viewer'] as const);
  client = stack.client.forTenant(tenant.tenantId);
  home = await mkdtemp(join(tmpdir(), 'swarmflow-improve-remote-'));
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** No way to Temporal or PostgreSQL: only the API server, with `apiKey`. */
const remote = (apiKey: string) => ({
  SWARMFLOW_HOME: home,
  TEMPORAL_ADDRESS: '127.0.0.1:1',
  DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing',
  SWARMFLOW_URL: server.url,
  SWARMFLOW_API_KEY: apiKey,
});

describe('the improve commands over --url', () => {
  it('schedules, runs a cycle to its end, lists its proposals and unschedules, through the API only', async () => {
    await registerWithRuns(client, 'triage-url');
    const author = remote(tenant.keys.author);
    const scheduled = await runCli(['improve', 'schedule', 'triage-url', '--every', '1d'], author);
    expect(scheduled).toMatchObject({
      code: 0,
      stdout: `scheduled improve/${tenant.tenantId}/triage-url every 1d (temporal schedule list shows it)\n`,
    });
    const described = await stack.client.temporal.schedule
      .getHandle(`improve/${tenant.tenantId}/triage-url`)
      .describe();
    expect(described.action).toMatchObject({ workflowType: 'improvementWorkflow' });

    const ran = await runCli(
      ['improve', 'run', 'triage-url', '--cycle', 'url', '--auto-promote', '--wait', '--json'],
      author,
    );
    expect(ran.stderr).toBe('');
    const printed = JSON.parse(ran.stdout);
    expect(printed).toMatchObject({
      routineId: 'triage-url',
      cycleId: `improve/${tenant.tenantId}/triage-url/url`,
      baseline: { version: 1, score: 1 },
      candidates: [{ optimizer: 'modelSelection', decision: 'promoted' }],
    });
    expect((await client.getRoutine('triage-url')).version).toBe(printed.promoted);

    const proposals = await runCli(['improve', 'proposals', '--routine', 'triage-url', '--json'], author);
    expect(JSON.parse(proposals.stdout)).toMatchObject([{ decision: 'promoted', decidedBy: 'policy' }]);

    const unscheduled = await runCli(['improve', 'unschedule', 'triage-url'], author);
    expect(unscheduled.stdout).toBe('deleted the schedule of triage-url\n');
    const again = await runCli(['improve', 'unschedule', 'triage-url'], author);
    expect(again.stdout).toBe('triage-url has no improvement schedule\n');
  });

  it("approves a pending proposal as the approver's key; a viewer's key may start nothing", async () => {
    await registerWithRuns(client, 'triage-url-review');
    const refused = await runCli(['improve', 'run', 'triage-url-review'], remote(tenant.keys.viewer));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/permission routines:write denied/);

    const started = await runCli(
      ['improve', 'run', 'triage-url-review', '--cycle', 'review'],
      remote(tenant.keys.author),
    );
    const cycleId = `improve/${tenant.tenantId}/triage-url-review/review`;
    expect(started.stdout).toBe(`started ${cycleId}\n`);
    await expect
      .poll(async () => (await client.improvement.proposals({ decision: 'pending' })).length, {
        timeout: 60_000,
      })
      .toBe(1);
    const approved = await runCli(
      ['improve', 'approve', 'triage-url-review', 'review', '--reason', 'cheaper'],
      remote(tenant.keys.approver),
    );
    expect(approved.stderr).toBe('');
    expect(approved.stdout).toMatch(/^approved \S+: triage-url-review version \d+\n$/);
    const result = await client.improvement.result(cycleId);
    expect(result.promoted).not.toBeNull();
    const [decided] = await client.improvement.proposals({ decision: 'approved' });
    expect(decided).toMatchObject({ reason: 'cheaper', decidedBy: expect.stringContaining('key') });

    // The remote SDK reads the cycle's status and result; an unknown cycle is refused by name.
    const sdk = new RemoteSwarmflowClient({ url: server.url, apiKey: tenant.keys.viewer });
    try {
      expect(await sdk.improvement.status(cycleId)).toMatchObject({ status: 'completed', error: null });
      expect((await sdk.improvement.result(cycleId)).promoted).toBe(result.promoted);
      await expect(sdk.improvement.result('improve/nowhere/x/y')).rejects.toThrow(UnknownProposalError);
      await expect(sdk.improvement.status(`run/${cycleId}`)).rejects.toThrow(UnknownProposalError);
      // A routine without runs has nothing to evaluate on: its cycle fails, and says why.
      await client.registerRoutine({
        id: 'no-runs-url',
        body: { kind: 'sequence', steps: [{ id: 'echo', expression: 'text', resultVariable: 'echoed' }] },
      });
      const empty = await client.improvement.start({ routineId: 'no-runs-url' });
      const failed = sdk.improvement.result(empty.cycleId);
      await expect(failed).rejects.toThrow(ImprovementCycleFailedError);
      await expect(failed).rejects.toThrow(/routine "no-runs-url" has no cases to evaluate on/);
    } finally {
      await sdk.close();
    }
  });
});
