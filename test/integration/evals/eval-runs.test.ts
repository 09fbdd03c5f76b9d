import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalFailedError } from '../../../client/eval-errors.ts';
import type { EvalCase } from '../../../schema/evaluation.ts';
import { bpmnProcess, flows } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { counterServer, scheduledActivities } from '../tier3-runs/support/runs.ts';
import { priceRoutine } from './price-routine.ts';

/**
 * Eval runs on a real dev server and PostgreSQL: every case a real child run, scored by the
 * field-match default, stored; tool calls under the eval tool policy.
 */

let stack: TestStack;
let folder: string;
let server: Server;
let base: string;
const requests = { get: 0, post: 0, inFlight: 0, maxInFlight: 0 };

const ticker = {
  provider: 'scripted' as const,
  turns: [
    { match: 'ticks so far', text: 'Ticked.' },
    { match: '^refused', text: 'Not allowed.' },
    { toolCalls: [{ name: 'counter__tick', args: {} }] },
  ],
};

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-evals-'));
  server = createServer((request, response) => {
    requests.inFlight += 1;
    requests.maxInFlight = Math.max(requests.maxInFlight, requests.inFlight);
    if (request.method === 'POST') requests.post += 1;
    else requests.get += 1;
    const count = request.method === 'POST' ? requests.post : requests.get;
    setTimeout(() => {
      requests.inFlight -= 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ count }));
    }, 300);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stack = await startTestStack();
  await stack.startWorker({
    deployment: {
      models: { ticker },
      mcpServers: { counter: counterServer(join(folder, 'ticks.txt')) },
    },
  });
  await stack.client.registerRoutine(priceRoutine('eval-price'));
});
afterAll(async () => {
  await stack?.stop();
  server?.close();
  await rm(folder, { recursive: true, force: true });
});

const ticks = async () =>
  (await readFile(join(folder, 'ticks.txt'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

/** Four cases with known answers: scores 1, 0.5 (label wrong), 0 (both wrong), 1. */
const priceCases: EvalCase[] = [
  { input: { quantity: 2, unitPrice: 5, name: 'a' }, expected: { total: 10, label: 'A' } },
  { input: { quantity: 3, unitPrice: 4, name: 'b' }, expected: { total: 12, label: 'X' } },
  { input: { quantity: 1, unitPrice: 1, name: 'c' }, expected: { total: 99, label: 'Z' } },
  { input: { quantity: 5, unitPrice: 2, name: 'd' }, expected: { total: 10, label: 'D' } },
];

describe('an eval run', () => {
  it('scores a dataset with known answers exactly, runs each case as a child run and stores it', async () => {
    const result = await stack.client.evals.run({
      routineId: 'eval-price',
      cases: priceCases,
      evalId: 'price-1',
    });
    expect(result.score).toBe(0.625);
    expect(result.cases.map((evalCase) => [evalCase.score, evalCase.passed])).toEqual([
      [1, true],
      [0.5, false],
      [0, false],
      [1, true],
    ]);
    expect(result.cases[1]?.reasons[0]?.reason).toBe(
      '1 of 2 expected fields match; differing: label: expected "X", got "B"',
    );
    expect(Object.keys(result).sort()).toEqual(
      ['cases', 'evalId', 'latencyMs', 'routineId', 'score', 'usage', 'version'].sort(),
    );
    expect(result.latencyMs.p95).toBeGreaterThanOrEqual(result.latencyMs.p50);

    const stored = await stack.client.evals.get('price-1');
    expect(stored).toMatchObject({ status: 'completed', score: 0.625, passedCount: 2, caseCount: 4 });
    expect(stored.cases.map((evalCase) => evalCase.runId)).toEqual([
      'price-1:case-1',
      'price-1:case-2',
      'price-1:case-3',
      'price-1:case-4',
    ]);
    const child = await stack.client.getRunState('price-1:case-2');
    expect(child).toMatchObject({ status: 'completed', outputs: { total: 12, label: 'B' } });
  });

  it('scores a case whose run fails 0, the failure its error, and goes on with the others', async () => {
    await stack.client.registerRoutine({
      id: 'eval-failing',
      body: {
        kind: 'sequence',
        steps: [{ id: 'maybe', type: 'fail', headers: { message: 'the fail task was reached' } }],
      },
    });
    const result = await stack.client.evals.run({
      routineId: 'eval-failing',
      cases: [{ input: {}, expected: { ok: true } }],
    });
    expect(result.score).toBe(0);
    expect(result.cases[0]).toMatchObject({
      score: 0,
      passed: false,
      output: null,
      error: { type: 'RunFailed', message: expect.stringContaining('the fail task was reached') },
    });
  });

  it('cancels a case whose run waits at a user task past the case timeout, scoring it 0, and goes on', async () => {
    await stack.client.registerRoutine({
      id: 'eval-approval',
      body: {
        kind: 'bpmn',
        xml: bpmnProcess(
          `<bpmn:startEvent id="start" />
           <bpmn:exclusiveGateway id="route" default="route_to_done" />
           <bpmn:userTask id="approve" />
           <bpmn:scriptTask id="done"><bpmn:extensionElements><zeebe:script expression="=true" resultVariable="ok" /></bpmn:extensionElements></bpmn:scriptTask>
           <bpmn:endEvent id="end" />
           ${flows(['start', 'route'], ['route', 'approve', 'amount > 100'], ['route', 'done'], ['approve', 'done'], ['done', 'end'])}`,
          'eval_approval',
        ),
      },
    });
    const result = await stack.client.evals.run({
      routineId: 'eval-approval',
      cases: [
        { input: { amount: 500 }, expected: { ok: true } },
        { input: { amount: 5 }, expected: { ok: true } },
      ],
      caseTimeoutMs: 3000,
    });
    expect(result.cases.map((c) => c.score)).toEqual([0, 1]);
    expect(result.cases[0]).toMatchObject({
      passed: false,
      error: {
        type: 'CaseTimedOut',
        message: expect.stringMatching(/had not ended after 3000 ms, so it was cancelled/),
      },
    });
    // The cancelled run withdrew its task: nobody is asked to approve an eval's case.
    const tasks = await stack.client.listTasks({ runId: `${result.evalId}:case-1` });
    expect(tasks.map((task) => [task.elementId, task.status])).toEqual([['approve', 'cancelled']]);
  });

  it('refuses a routine version that does not exist before starting anything', async () => {
    const missing = stack.client.evals.start({ routineId: 'eval-price', version: 99, cases: priceCases });
    await expect(missing).rejects.toThrow(/99/);
  });

  it('fails with an error object when the routine version is gone by the time it starts', async () => {
    await stack.client.temporal.workflow.start('evalWorkflow', {
      workflowId: 'eval/gone-version',
      taskQueue: stack.config.taskQueue,
      args: [
        {
          evalId: 'gone-version',
          tenantId: stack.config.tenantId,
          routineId: 'eval-price',
          version: 99,
          cases: priceCases,
          toolPolicy: 'replay',
          concurrency: 2,
        },
      ],
    });
    const failed = await stack.client.evals.result('gone-version').catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(EvalFailedError);
    expect((failed as EvalFailedError).error).toMatchObject({
      type: 'UnknownRoutine',
      message: expect.stringContaining('99'),
      hint: expect.stringContaining('swarmflow routine list'),
    });
    expect(await stack.client.evals.get('gone-version')).toMatchObject({
      status: 'failed',
      error: { type: 'UnknownRoutine' },
    });
  });

  it('refuses cases nothing could score, naming them', async () => {
    const start = stack.client.evals.start({ routineId: 'eval-price', cases: [{ input: { quantity: 1 } }] });
    await expect(start).rejects.toThrow(/case 1: no "expected" output/);
  });

  it('runs at most `concurrency` cases at a time', async () => {
    await stack.client.registerRoutine({
      id: 'eval-slow-get',
      body: { kind: 'sequence', steps: [{ id: 'fetch', type: 'http', headers: { url: `${base}/slow` } }] },
    });
    requests.maxInFlight = 0;
    const cases = Array.from({ length: 6 }, (_, index) => ({ input: { n: index }, expected: { n: index } }));
    const result = await stack.client.evals.run({
      routineId: 'eval-slow-get',
      cases,
      concurrency: 2,
      toolPolicy: 'allowSafe',
    });
    expect(result.score).toBe(1);
    expect(requests.maxInFlight).toBe(2);
  });

  it('records a cancelled eval as failed', async () => {
    const cases = Array.from({ length: 4 }, (_, index) => ({ input: { n: index }, expected: { n: index } }));
    const { workflowId } = await stack.client.evals.start({
      routineId: 'eval-slow-get',
      cases,
      concurrency: 1,
      toolPolicy: 'allowSafe',
      evalId: 'slow-cancelled',
    });
    await expect.poll(() => stack.client.evals.get('slow-cancelled').catch(() => undefined)).toBeDefined();
    await stack.client.temporal.workflow.getHandle(workflowId).cancel();
    await expect.poll(async () => (await stack.client.evals.get('slow-cancelled')).status).toBe('failed');
    expect((await stack.client.evals.get('slow-cancelled')).error).toEqual({
      message: 'the eval was cancelled',
      type: 'Cancelled',
    });
  });
});

describe('the eval tool policy', () => {
  it('replays an LLM tool call with side effects from the source run instead of repeating it', async () => {
    await stack.client.registerRoutine({
      id: 'eval-tick',
      body: {
        kind: 'sequence',
        steps: [
          {
            id: 'tick',
            prompt: 'Tick once',
            model: 'ticker',
            tools: ['counter/tick'],
            resultVariable: 'said',
          },
        ],
      },
    });
    const { runId: sourceRunId } = await stack.client.startRun({ routineId: 'eval-tick' });
    const source = await stack.client.awaitRun(sourceRunId);
    expect(source.outputs).toMatchObject({ said: 'Ticked.' });
    expect(await ticks()).toBe(1);

    const result = await stack.client.evals.run({
      routineId: 'eval-tick',
      cases: [{ input: {}, expected: { said: 'Ticked.' }, sourceRunId }],
      evalId: 'tick-replay',
    });
    expect(result.score).toBe(1);
    expect(await ticks()).toBe(1);
    const activities = await scheduledActivities(stack.client, 'tick-replay:case-1');
    expect(activities).toMatchObject({ replayToolCall: 1 });
    expect(activities).not.toHaveProperty('callMcpTool');
  });

  it('denies a tool call when the case has no source run, and tells the model', async () => {
    const result = await stack.client.evals.run({
      routineId: 'eval-tick',
      cases: [{ input: {}, expected: { said: 'Not allowed.' } }],
    });
    expect(result.score).toBe(1);
    expect(await ticks()).toBe(1);
  });

  it('denies under allowSafe a tool that is neither read-only nor idempotent', async () => {
    const result = await stack.client.evals.run({
      routineId: 'eval-tick',
      cases: [{ input: {}, expected: { said: 'Not allowed.' } }],
      toolPolicy: 'allowSafe',
    });
    expect(result.score).toBe(1);
    expect(await ticks()).toBe(1);
  });

  it('replays an HTTP POST task from the source run instead of sending it again', async () => {
    await stack.client.registerRoutine({
      id: 'eval-post',
      body: {
        kind: 'sequence',
        steps: [
          {
            id: 'order',
            type: 'http',
            headers: { url: `${base}/orders`, method: 'POST', body: '={item: item}' },
          },
        ],
      },
    });
    const { runId: sourceRunId } = await stack.client.startRun({
      routineId: 'eval-post',
      input: { item: 'pen' },
    });
    const source = await stack.client.awaitRun(sourceRunId);
    const posted = requests.post;
    const result = await stack.client.evals.run({
      routineId: 'eval-post',
      cases: [
        { input: { item: 'pen' }, expected: { response: source.outputs.response ?? null }, sourceRunId },
      ],
    });
    expect(result.score).toBe(1);
    expect(requests.post).toBe(posted);
  });

  it('fails the case (score 0) when a denied HTTP POST stops its run', async () => {
    const posted = requests.post;
    const result = await stack.client.evals.run({
      routineId: 'eval-post',
      cases: [{ input: { item: 'pen' }, expected: { ok: true } }],
      toolPolicy: 'deny',
    });
    expect(result.cases[0]).toMatchObject({
      score: 0,
      error: { type: 'RunFailed', message: expect.stringContaining('denied in an eval run') },
    });
    expect(requests.post).toBe(posted);
  });
});

describe('comparing versions', () => {
  it('pairs the cases both versions ran and reports the difference with a 95% interval', async () => {
    await stack.client.registerRoutine(priceRoutine('eval-price', { label: '"X"' }));
    const v2 = await stack.client.evals.run({ routineId: 'eval-price', cases: priceCases });
    expect(v2.version).toBe(2);
    // v2 labels every case "X": case 2 scores 1 (was 0.5), cases 1 and 4 score 0.5 (were 1), case 3 still 0.
    expect(v2.score).toBe(0.5);
    const comparison = await stack.client.evals.compare({
      routineId: 'eval-price',
      versionA: 1,
      versionB: 2,
    });
    expect(comparison).toMatchObject({
      method: 'paired-t',
      pairs: 4,
      difference: -0.125,
      significant: false,
    });
    expect(comparison.confidence.low).toBeLessThan(-0.125);
    expect(comparison.confidence.high).toBeGreaterThan(-0.125);
  });
});
