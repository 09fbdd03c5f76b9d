import { defaultPayloadConverter } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalNotDecidedError } from '../../../client/control-errors.ts';
import type { RunLimitsInput } from '../../../schema/limits.ts';
import { SearchAttributes } from '../../../schema/search-attributes.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { bpmnProcess, flows, serviceTask } from '../../support/bpmn.ts';
import { requestJson } from '../../support/http.ts';
import { startTestStack, type TestStack, type WorkerStartOptions } from '../../support/stack.ts';
import {
  adderModel,
  addStep,
  everythingServer,
  scheduledActivities,
  swarmflowCli,
  waitForState,
} from './support/runs.ts';

/** Tool calls that need a person: parked in the run, decided through the SDK and the CLI, or timed out. */

const workerOptions: WorkerStartOptions = {
  deployment: {
    mcpServers: { everything: everythingServer },
    models: { adder: adderModel },
    toolPolicy: { rules: [{ tool: 'everything/get-sum', decision: 'approve' }] },
  },
  // A restarted worker picks up the run at once, instead of after the old worker's sticky queue times out.
  tuning: { stickyQueueScheduleToStartTimeout: '1s' },
};
const approvedAdd = { ...addStep, requireApprovalFor: ['everything/*'] };

let stack: TestStack;
let worker: Worker;

beforeAll(async () => {
  stack = await startTestStack();
  worker = await stack.startWorker(workerOptions);
});
afterAll(() => stack?.stop());

async function startRun(id: string, steps: unknown[], limits: RunLimitsInput = {}) {
  await stack.client.registerRoutine({ id, body: { kind: 'sequence', steps: steps as never }, limits });
  const { runId } = await stack.client.startRun({ routineId: id, input: { a: 2, b: 3 } });
  return runId;
}

const waitForApproval = (runId: string, callId: string) =>
  waitForState(stack.client, runId, `${callId} waiting for approval`, (state) =>
    state.pendingApprovals.some((approval) => approval.callId === callId),
  );

/** The first argument of each accepted update `name` of a run, decoded as the client's data converter does. */
async function acceptedUpdateArgs(runId: string, name: string): Promise<unknown[]> {
  const history = await stack.client.temporal.workflow.getHandle(`run/${runId}`).fetchHistory();
  const codecs = stack.dataConverter.payloadCodecs ?? [];
  const args: unknown[] = [];
  for (const event of history.events ?? []) {
    const request = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
    if (request?.input?.name !== name) continue;
    let payloads = request.input.args?.payloads ?? [];
    for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
    args.push(defaultPayloadConverter.fromPayload(payloads[0] as never));
  }
  return args;
}

async function countWithPendingApprovals(runId: string): Promise<number> {
  const query = `${SearchAttributes.pendingApprovals.name} > 0 AND WorkflowId = 'run/${runId}'`;
  return (await stack.client.temporal.workflow.count(query)).count;
}

describe('tool call approvals', () => {
  it('park a call until a person approves it; a decided or unknown call is refused', async () => {
    const runId = await startRun('approve-twice', [approvedAdd, { ...approvedAdd, id: 'again' }]);
    const { pendingApprovals } = await waitForApproval(runId, 'add#1/call-1');
    expect(pendingApprovals).toEqual([
      expect.objectContaining({
        runId,
        callId: 'add#1/call-1',
        elementId: 'add',
        server: 'everything',
        tool: 'get-sum',
        args: { a: 2, b: 3 },
        risk: 'low',
        reason: 'step rule 1 (tool "everything/*"): approve',
      }),
    ]);
    await expect.poll(() => countWithPendingApprovals(runId)).toBe(1);
    await expect
      .poll(async () => (await stack.client.listApprovals()).map((approval) => approval.callId))
      .toContain('add#1/call-1');
    await expect(
      stack.client.decideApproval(runId, { callId: 'add#9/call-1', approved: true }),
    ).rejects.toThrow(
      `run ${runId} cannot decide tool call add#9/call-1: no tool call add#9/call-1 waits for approval in this run; waiting: add#1/call-1`,
    );

    const decided = await stack.client.decideApproval(runId, { callId: 'add#1/call-1', approved: true });
    expect(decided).toMatchObject({ tool: 'get-sum' });
    await waitForApproval(runId, 'again#1/call-1');
    const twice = stack.client.decideApproval(runId, { callId: 'add#1/call-1', approved: false });
    await expect(twice).rejects.toBeInstanceOf(ApprovalNotDecidedError);
    await expect(twice).rejects.toThrow('tool call add#1/call-1 was already approved');

    await stack.client.decideApproval(runId, { callId: 'again#1/call-1', approved: true });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome).toMatchObject({
      status: 'completed',
      outputs: { answer: 'It is 5.' },
      usage: { toolCalls: 2 },
    });
    await expect.poll(() => countWithPendingApprovals(runId)).toBe(0);
  });

  it('tell the model a call was rejected through the CLI, so it goes on without the tool', async () => {
    const runId = await startRun('approve-reject', [approvedAdd]);
    await waitForApproval(runId, 'add#1/call-1');
    const listed = JSON.parse(
      await swarmflowCli(stack.config, ['approvals', 'list', '--run', runId, '--json']),
    );
    expect(listed).toEqual([expect.objectContaining({ callId: 'add#1/call-1', tool: 'get-sum' })]);
    const rejected = await swarmflowCli(stack.config, [
      'approvals',
      'reject',
      runId,
      'add#1/call-1',
      '--reason',
      'not today',
      '--by',
      'ops',
    ]);
    expect(rejected).toBe('rejected everything/get-sum (add#1/call-1)\n');
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome.outputs.answer).toBe('I was not allowed to add them.');
    expect(await scheduledActivities(stack.client, runId)).not.toHaveProperty('callMcpTool');
  });

  it('fail the step on a rejection when the step says so: an incident on the element', async () => {
    const runId = await startRun('approve-or-fail', [{ ...approvedAdd, failOnRejection: true }]);
    await waitForApproval(runId, 'add#1/call-1');
    await stack.client.decideApproval(runId, {
      callId: 'add#1/call-1',
      approved: false,
      reason: 'too risky',
      decidedBy: 'ops',
    });
    const state = await waitForState(stack.client, runId, 'an incident', (s) => s.status === 'incident');
    expect(state.incident?.message).toBe('add: tool call add#1/call-1 was rejected by ops (too risky)');
    await stack.client.cancelRun(runId);
  });

  it('reject a call nobody decides within the approval timeout', async () => {
    const runId = await startRun('approve-timeout', [approvedAdd], { approvalTimeoutMs: 1500 });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome.outputs.answer).toBe('I was not allowed to add them.');
    const [step] = (await stack.client.getRunState(runId)).llmSteps;
    expect(step).toMatchObject({ turns: 2, toolCalls: 0, status: 'completed' });
  });

  it('park a BPMN task bound to an MCP tool the deployment wants approved, and count its call', async () => {
    const mappings = `<zeebe:ioMapping><zeebe:input source="=2" target="a" /><zeebe:input source="=3" target="b" />
      <zeebe:output source="=result" target="sum" /></zeebe:ioMapping>`;
    const xml = bpmnProcess(`<bpmn:startEvent id="start" />
      ${serviceTask('sum', 'mcp:everything/get-sum', {}, mappings)}
      <bpmn:endEvent id="end" />${flows(['start', 'sum'], ['sum', 'end'])}`);
    await stack.client.registerRoutine({ id: 'approve-mcp-task', body: { kind: 'bpmn', xml } });
    const { runId } = await stack.client.startRun({ routineId: 'approve-mcp-task' });
    const { pendingApprovals } = await waitForApproval(runId, 'sum#1/call-1');
    expect(pendingApprovals[0]).toMatchObject({
      args: { a: 2, b: 3 },
      reason: 'deployment rule 1 (tool "everything/get-sum"): approve',
    });
    await stack.client.decideApproval(runId, { callId: 'sum#1/call-1', approved: true });
    expect(await stack.client.awaitRun(runId)).toMatchObject({
      status: 'completed',
      outputs: { sum: 'The sum of 2 and 3 is 5.' },
      usage: { toolCalls: 1 },
    });
  });

  it("let only a holder of the rule's approver role decide, and record who did, through the API", async () => {
    const server = await startTestApiServer(stack);
    try {
      const { keys } = await tenantWithKeys(stack, 'approvers', ['operator', 'approver', 'admin']);
      const call = (key: string, method: string, path: string, body?: unknown) =>
        requestJson(server.url, method, path, { token: key, body });
      const routine = {
        id: 'approve-by-role',
        body: { kind: 'sequence', steps: [addStep] },
        toolPolicy: { rules: [{ tool: 'everything/*', decision: 'approve', approverRoles: ['approver'] }] },
      };
      expect((await call(keys.admin, 'POST', '/v1/routines', routine)).status).toBe(201);
      const { runId } = (
        await call(keys.operator, 'POST', '/v1/runs', { routine: 'approve-by-role', input: { a: 2, b: 3 } })
      ).body;
      const { pendingApprovals } = await waitForApproval(runId, 'add#1/call-1');
      expect(pendingApprovals[0]).toMatchObject({ approverRoles: ['approver'] });

      // The admin may decide approvals in general, but this rule wants an approver.
      const byAdmin = await call(keys.admin, 'POST', `/v1/runs/${runId}/approvals`, {
        callId: 'add#1/call-1',
        approved: true,
      });
      expect(byAdmin.status).toBe(409);
      expect(byAdmin.body.error).toMatchObject({
        type: 'ApprovalNotDecidedError',
        message: expect.stringContaining("needs an approver with role approver; the decider's roles: admin"),
      });
      // A body cannot claim a decider or roles.
      const claimed = await call(keys.admin, 'POST', `/v1/runs/${runId}/approvals`, {
        callId: 'add#1/call-1',
        approved: true,
        deciderRoles: ['approver'],
      });
      expect(claimed.status).toBe(400);

      const byApprover = await call(keys.approver, 'POST', `/v1/runs/${runId}/approvals`, {
        callId: 'add#1/call-1',
        approved: false,
        reason: 'not now',
      });
      expect(byApprover.status).toBe(200);
      const outcome = (await call(keys.operator, 'GET', `/v1/runs/${runId}/outcome?waitMs=20000`)).body;
      expect(outcome).toMatchObject({
        done: true,
        outcome: { outputs: { answer: 'I was not allowed to add them.' } },
      });
      // The update that decided it carries the approver's identity, as the server authenticated it.
      const decisions = await acceptedUpdateArgs(runId, 'decideApproval');
      expect(decisions.at(-1)).toMatchObject({
        callId: 'add#1/call-1',
        approved: false,
        decidedBy: `api-key:${keys.approver.split('_')[1]}`,
        deciderRoles: ['approver'],
      });
    } finally {
      await server.close();
    }
  });

  it('keep a pending approval across a worker restart', async () => {
    const runId = await startRun('approve-restart', [approvedAdd]);
    await waitForApproval(runId, 'add#1/call-1');
    await stack.stopWorker(worker);
    worker = await stack.startWorker(workerOptions);
    const { pendingApprovals } = await waitForApproval(runId, 'add#1/call-1');
    expect(pendingApprovals).toHaveLength(1);
    await stack.client.decideApproval(runId, { callId: 'add#1/call-1', approved: true });
    expect(await stack.client.awaitRun(runId)).toMatchObject({
      status: 'completed',
      outputs: { answer: 'It is 5.' },
    });
  });
});
