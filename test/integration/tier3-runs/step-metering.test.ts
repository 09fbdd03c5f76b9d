import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRun, listSteps } from '../../../activities/store/run-read-model.ts';
import type { RunLimitsInput } from '../../../schema/limits.ts';
import type { RunStepRecord } from '../../../schema/run.ts';
import { sumUsage } from '../../../schema/usage.ts';
import { CHILD_CHUNK_SIZE } from '../../../workflows/runtime/multi-instance.ts';
import { bpmnProcess, callActivity, childWorkflowFork, flows, serviceTask } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/** Deterministic steps metered into the run: wall time and credits, in the outcome, the budget and the read model. */

const CREDITS_PER_SECOND = 2;

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker({ deployment: { prices: { perSecond: CREDITS_PER_SECOND } } });
});
afterAll(() => stack?.stop());

async function run(id: string, body: unknown, input = {}, limits: RunLimitsInput = {}) {
  await stack.client.registerRoutine({ id, body: body as never, limits });
  const { runId, workflowId } = await stack.client.startRun({ routineId: id, input });
  return { runId, workflowId, outcome: await stack.client.awaitRun(runId) };
}

const stepUsage = (steps: RunStepRecord[]) => sumUsage(steps.map((step) => step.usage ?? expect.fail()));

describe('metered deterministic steps', () => {
  it('charge built-in and FEEL steps their wall time and its credits, in the outcome and the run_steps rows', async () => {
    const steps = [
      { id: 'nap', type: 'sleep', headers: { ms: '300' } },
      { id: 'calc', expression: '1 + 1', resultVariable: 'two' },
    ];
    const { runId, outcome } = await run('metered-sequence', { kind: 'sequence', steps });
    expect(outcome).toMatchObject({ status: 'completed', outputs: { two: 2 } });
    const { usage } = outcome;
    expect(usage?.wallMs).toBeGreaterThanOrEqual(300);
    expect(usage).toMatchObject({ inputTokens: 0, outputTokens: 0, toolCalls: 0 });
    expect(usage?.credits).toBeCloseTo(((usage?.wallMs ?? 0) / 1000) * CREDITS_PER_SECOND, 5);

    const recorded = await listSteps(stack.client.db, runId);
    expect(recorded.map((step) => [step.stepKey, step.output])).toEqual([
      ['nap#1', {}],
      ['calc#1', { two: 2 }],
    ]);
    expect(recorded[0]?.usage?.wallMs).toBeGreaterThanOrEqual(300);
    expect(stepUsage(recorded)).toEqual(usage);
    expect((await getRun(stack.client.db, runId))?.usage).toEqual(usage);
  });

  it('stop at the run budget before the next step, as LLM turns do', async () => {
    const nap = (id: string) => ({ id, type: 'sleep', headers: { ms: '300' } });
    const steps = [nap('first'), nap('second'), nap('third')];
    const { runId, outcome } = await run(
      'budgeted-sequence',
      { kind: 'sequence', steps },
      {},
      {
        maxDurationMs: 400,
        onLimit: 'fail',
      },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/^third: the run reached its limit maxDurationMs = 400 \(used \d+\)$/);
    const recorded = await listSteps(stack.client.db, runId);
    expect(recorded.map((step) => step.stepKey)).toEqual(['first#1', 'second#1']);
  });

  it('carry the usage of parallel branch children and multi-instance chunks back into the run', async () => {
    const loop = `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
      <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" />
    </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`;
    const xml = bpmnProcess(`<bpmn:startEvent id="start" />
      ${childWorkflowFork('fork')}
      ${serviceTask('left', 'sleep', { ms: '200' })}
      ${serviceTask('right', 'sleep', { ms: '200' })}
      <bpmn:parallelGateway id="join" />
      <bpmn:scriptTask id="each"><bpmn:extensionElements><zeebe:script expression="=item" resultVariable="seen" /></bpmn:extensionElements>${loop}</bpmn:scriptTask>
      <bpmn:endEvent id="end" />
      ${flows(['start', 'fork'], ['fork', 'left'], ['fork', 'right'], ['left', 'join'], ['right', 'join'], ['join', 'each'], ['each', 'end'])}`);
    const items = Array.from({ length: CHILD_CHUNK_SIZE + 1 }, (_, index) => index);
    const { runId, workflowId, outcome } = await run('metered-children', { kind: 'bpmn', xml }, { items });
    expect(outcome.status).toBe('completed');

    const children: string[] = [];
    for await (const child of stack.client.temporal.workflow.list({
      query: `WorkflowId STARTS_WITH "${workflowId}/"`,
    })) {
      children.push(child.workflowId);
    }
    // Two branches and two chunks ran as children; every step they ran is in the run's usage.
    expect(children).toHaveLength(4);
    const recorded = await listSteps(stack.client.db, runId);
    expect(recorded).toHaveLength(2 + items.length);
    expect(outcome.usage?.wallMs).toBeGreaterThanOrEqual(400);
    expect(outcome.usage).toEqual(stepUsage(recorded));
  });

  it('charge a called process to its caller', async () => {
    await run('called-nap', {
      kind: 'sequence',
      steps: [{ id: 'nap', type: 'sleep', headers: { ms: '300' } }],
    });
    const xml = bpmnProcess(`<bpmn:startEvent id="start" />
      ${callActivity('call', 'called-nap')}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'call'], ['call', 'end'])}`);
    const { outcome } = await run('caller', { kind: 'bpmn', xml });
    expect(outcome.status).toBe('completed');
    expect(outcome.usage?.wallMs).toBeGreaterThanOrEqual(300);
    expect(outcome.usage?.credits).toBeGreaterThan(0);
  });
});
