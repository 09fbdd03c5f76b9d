import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnknownRoutineError } from '../../../activities/store/errors.ts';
import { RoutineCompileError } from '../../../compiler/errors.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { bpmnProcess, flows, scriptTask, serviceTask } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker();
});
afterAll(() => stack?.stop());

const greeting = async () =>
  JSON.parse(await readFile(new URL('../../../examples/greeting.sequence.json', import.meta.url), 'utf8'));

describe('sequence routines', () => {
  it('run step after step on the same navigator', async () => {
    await stack.client.registerRoutine(await greeting());
    const { runId } = await stack.client.startRun({ routineId: 'greeting', input: { name: 'Ada' } });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome).toMatchObject({
      status: 'completed',
      outputs: { name: 'Ada', greeting: 'Hello, Ada', shouted: 'HELLO, ADA!', length: 11 },
    });
    expect(outcome.trace.map((t) => `${t.type}:${t.elementId}`)).toEqual(
      expect.arrayContaining(['scriptTask:greet', 'scriptTask:shout', 'serviceTask:stamp']),
    );
  });

  it('version on change and stay put on the same content', async () => {
    const definition = await greeting();
    const again = await stack.client.registerRoutine(definition);
    expect(again.created).toBe(false);
    definition.body.steps.push({ id: 'extra', expression: '1', resultVariable: 'extra' });
    const changed = await stack.client.registerRoutine(definition);
    expect(changed).toMatchObject({ created: true, version: again.version + 1 });
  });
});

describe('bad input is refused clearly and loses nothing', () => {
  it('rejects malformed XML', async () => {
    const register = stack.client.registerRoutine({
      id: 'broken',
      body: { kind: 'bpmn', xml: '<bpmn:definitions><oops' },
    });
    await expect(register).rejects.toBeInstanceOf(RoutineCompileError);
  });

  it('rejects an unsupported element naming its id and type', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:complexGateway id="tricky" />
      <bpmn:endEvent id="end" />
      ${flows(['start', 'tricky'], ['tricky', 'end'])}`);
    const register = stack.client.registerRoutine({ id: 'complex', body: { kind: 'bpmn', xml } });
    await expect(register).rejects.toThrow(/tricky/);
    await expect(register).rejects.toThrow(/ComplexGateway/i);
  });

  it('rejects a dangling sequence flow naming the flow', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:endEvent id="end" />
      ${flows(['start', 'end'])}
      <bpmn:sequenceFlow id="dangling" sourceRef="start" targetRef="nowhere" />`);
    await expect(
      stack.client.registerRoutine({ id: 'dangling', body: { kind: 'bpmn', xml } }),
    ).rejects.toThrow(/dangling/);
  });

  it('rejects run input that breaks the input schema, naming the field, and starts nothing', async () => {
    await stack.client.registerRoutine(await greeting());
    const start = stack.client.startRun({
      routineId: 'greeting',
      input: { name: 42 },
      runId: 'bad-input-run',
    });
    await expect(start).rejects.toBeInstanceOf(ValidationError);
    await expect(start).rejects.toThrow(/name: must be string/);
    expect(await stack.client.listRuns({ routineId: 'greeting', limit: 100 })).not.toContainEqual(
      expect.objectContaining({ runId: 'bad-input-run' }),
    );
  });

  it('rejects an unknown routine id', async () => {
    const start = stack.client.startRun({ routineId: 'no-such-routine' });
    await expect(start).rejects.toBeInstanceOf(UnknownRoutineError);
    await expect(start).rejects.toThrow(/no-such-routine/);
  });

  it('parks a run whose step fails after its retries as an incident naming the step', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${scriptTask('ok', '1', 'one')}
      ${serviceTask('explode', 'fail', { message: 'the warehouse is on fire' })}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'ok'], ['ok', 'explode'], ['explode', 'end'])}`);
    await stack.client.registerRoutine({ id: 'fails', body: { kind: 'bpmn', xml } });
    const { runId } = await stack.client.startRun({ routineId: 'fails' });
    await expect.poll(async () => (await stack.client.getRunState(runId)).status).toBe('incident');
    const state = await stack.client.getRunState(runId);
    expect(state.incident).toEqual({
      elementId: 'explode',
      message: 'explode: step failed: the warehouse is on fire',
    });
    expect(state.outputs).toEqual({ one: 1 });
    // The read model follows the run's own state by one activity.
    const summaryStatus = async () =>
      (await stack.client.listRuns({ routineId: 'fails' })).find((r) => r.runId === runId)?.status;
    await expect.poll(summaryStatus).toBe('incident');
    await stack.client.cancelRun(runId);
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome.status).toBe('cancelled');
    expect(outcome.trace.at(-1)).toMatchObject({ elementId: 'explode', status: 'terminated' });
  });
});

describe('run control and visibility', () => {
  it('cancels a running run: the active step ends terminated and the run cancelled', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${serviceTask('wait', 'sleep', { ms: '60000' })}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'wait'], ['wait', 'end'])}`);
    await stack.client.registerRoutine({ id: 'sleepy', body: { kind: 'bpmn', xml } });
    const { runId } = await stack.client.startRun({ routineId: 'sleepy' });
    await expect.poll(async () => (await stack.client.getRunState(runId)).activeElements).toEqual(['wait']);
    await stack.client.cancelRun(runId);
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome.status).toBe('cancelled');
    expect(outcome.trace.at(-1)).toEqual({ elementId: 'wait', type: 'serviceTask', status: 'terminated' });
    const [summary] = (await stack.client.listRuns({ routineId: 'sleepy' })).filter((r) => r.runId === runId);
    expect(summary?.status).toBe('cancelled');
  });

  it('gives runs readable ids and search attributes that Temporal queries find', async () => {
    await stack.client.registerRoutine(await greeting());
    const { runId, workflowId } = await stack.client.startRun({
      routineId: 'greeting',
      input: { name: 'Bo' },
    });
    expect(workflowId).toBe(`run/${runId}`);
    await stack.client.awaitRun(runId);
    const query = `SwarmflowRoutineId = "greeting" AND SwarmflowStatus = "completed" AND SwarmflowTenant = "default"`;
    await expect
      .poll(async () => {
        const ids: string[] = [];
        for await (const execution of stack.client.temporal.workflow.list({ query }))
          ids.push(execution.workflowId);
        return ids;
      })
      .toContain(workflowId);
  });

  it('records every step once in the read model', async () => {
    await stack.client.registerRoutine({ ...(await greeting()), id: 'greeting-steps' });
    const { runId } = await stack.client.startRun({ routineId: 'greeting-steps', input: { name: 'Cy' } });
    await stack.client.awaitRun(runId);
    const steps = await stack.client.db
      .selectFrom('run_steps')
      .selectAll()
      .where('run_id', '=', runId)
      .execute();
    expect(steps.map((s) => s.step_key).sort()).toEqual(['greet#1', 'shout#1', 'stamp#1']);
    expect(steps.every((s) => s.status === 'completed')).toBe(true);
  });
});
