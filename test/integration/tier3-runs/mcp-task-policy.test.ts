import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolPolicy } from '../../../schema/tools.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { everythingServer, scheduledActivities, waitForState } from './support/runs.ts';

/** The routine's tool policy decides BPMN and sequence tasks bound to MCP tools, as it decides LLM tool calls. */

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker({ deployment: { mcpServers: { everything: everythingServer } } });
});
afterAll(() => stack?.stop());

const sumStep = {
  id: 'sum',
  type: 'mcp:everything/get-sum',
  inputs: { a: '2', b: '3' },
  outputs: { sum: 'result' },
};

async function startSum(id: string, toolPolicy: ToolPolicy) {
  await stack.client.registerRoutine({ id, toolPolicy, body: { kind: 'sequence', steps: [sumStep] } });
  return (await stack.client.startRun({ routineId: id })).runId;
}

describe("a routine's tool policy on MCP tasks", () => {
  it('park a task whose tool the routine wants approved, and run it once approved', async () => {
    const runId = await startSum('mcp-routine-approve', {
      rules: [{ tool: 'everything/get-sum', decision: 'approve' }],
    });
    const { pendingApprovals } = await waitForState(stack.client, runId, 'an approval', (state) =>
      state.pendingApprovals.some((approval) => approval.callId === 'sum#1/call-1'),
    );
    expect(pendingApprovals[0]).toMatchObject({
      elementId: 'sum',
      args: { a: 2, b: 3 },
      reason: 'routine rule 1 (tool "everything/get-sum"): approve',
    });
    await stack.client.decideApproval(runId, { callId: 'sum#1/call-1', approved: true });
    expect(await stack.client.awaitRun(runId)).toMatchObject({
      status: 'completed',
      outputs: { sum: 'The sum of 2 and 3 is 5.' },
      usage: { toolCalls: 1 },
    });
  });

  it('make a task whose tool the routine denies an incident naming the rule, without calling the tool', async () => {
    const runId = await startSum('mcp-routine-deny', { rules: [], default: 'deny' });
    const state = await waitForState(stack.client, runId, 'an incident', (s) => s.status === 'incident');
    expect(state.incident).toEqual({
      elementId: 'sum',
      message: 'sum: tool everything/get-sum is denied by the routine default: deny',
    });
    const scheduled = await scheduledActivities(stack.client, runId);
    expect(scheduled).not.toHaveProperty('executeMeteredStep');
    expect(scheduled).not.toHaveProperty('executeStep');
    await stack.client.cancelRun(runId);
  });
});
