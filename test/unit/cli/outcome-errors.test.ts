import { describe, expect, it } from 'vitest';
import { runOutcomeError, subtaskError, swarmOutcomeError } from '../../../client/outcome-errors.ts';
import type { RunOutcome } from '../../../schema/run.ts';
import type { Subtask, SwarmOutcome } from '../../../schema/swarm.ts';
import { NO_USAGE } from '../../../schema/usage.ts';
import { RUN_FAILED } from '../../../workflows/definitions.ts';

const run = (fields: Partial<RunOutcome>): RunOutcome => ({
  runId: 'r1',
  status: 'completed',
  outputs: {},
  trace: [],
  ...fields,
});
const swarm = (fields: Partial<SwarmOutcome>): SwarmOutcome => ({
  swarmId: 's1',
  status: 'completed',
  subtasks: [],
  usage: { ...NO_USAGE },
  ...fields,
});
const incident = { kind: 'incident' as const, runId: 'r1', elementId: 'route', message: 'route: no flow' };

describe('runOutcomeError', () => {
  it('is absent for a completed run', () => {
    expect(runOutcomeError(run({}))).toBeUndefined();
  });

  it('a run parked on an incident: the element, the message and the resolve command', () => {
    expect(runOutcomeError(run({ status: 'incident', parkedOn: incident }))).toEqual({
      type: 'Incident',
      elementId: 'route',
      message: 'route: no flow',
      hint: "fix the data, then retry the element: swarmflow runs resolve r1 --set '<json>'",
    });
  });

  it('on a throwaway stack, says nobody can resolve it there and how to run where one can', () => {
    const error = runOutcomeError(run({ status: 'incident', parkedOn: incident }), { throwaway: true });
    expect(error?.hint).toMatch(
      /throwaway stack of --embedded is gone.*swarmflow server start.*runs resolve r1/,
    );
  });

  it('a run paused on a budget: the resume command', () => {
    const error = runOutcomeError(
      run({ status: 'paused', parkedOn: { kind: 'budget', runId: 'r1', message: 'credits reached' } }),
    );
    expect(error).toMatchObject({
      type: 'BudgetReached',
      hint: expect.stringContaining('swarmflow runs resume r1'),
    });
  });

  it('a failed run: RunFailed at the last element that failed', () => {
    const error = runOutcomeError(
      run({
        status: 'failed',
        error: 'boom',
        trace: [
          { elementId: 'a', type: 'serviceTask', status: 'completed' },
          { elementId: 'b', type: 'serviceTask', status: 'failed' },
        ],
      }),
    );
    expect(error).toMatchObject({ type: 'RunFailed', message: 'boom', elementId: 'b' });
  });

  it('a cancelled or timed-out run says so', () => {
    expect(runOutcomeError(run({ status: 'cancelled' }))).toMatchObject({ type: 'Cancelled' });
    expect(runOutcomeError(run({ status: 'timed_out' }))).toMatchObject({ type: 'TimedOut' });
  });
});

describe('swarmOutcomeError', () => {
  it("keeps the workflow's typed failure and its hint", () => {
    const failure = { message: 'no routine', type: 'NoMatchingRoutine', hint: 'register one' };
    expect(swarmOutcomeError(swarm({ status: 'failed', error: 'no routine', failure }))).toEqual(failure);
  });

  it('subtasks that did not finish point to the transcript', () => {
    const failure = { message: 'subtasks did not finish', type: 'SubtasksFailed' };
    expect(swarmOutcomeError(swarm({ status: 'failed', failure }))?.hint).toBe(
      'each failed subtask carries its error; the whole story: swarmflow swarm transcript s1',
    );
  });

  it('a child run parked: the subtask, the run and its element', () => {
    const parkedOn = { ...incident, runId: 's1:route', subtaskId: 'route' };
    expect(swarmOutcomeError(swarm({ status: 'running', parkedOn }))).toMatchObject({
      type: 'Incident',
      subtaskId: 'route',
      runId: 's1:route',
      elementId: 'route',
    });
  });

  it('a swarm paused on its own limit: the swarm resume command', () => {
    const parkedOn = { kind: 'budget' as const, swarmId: 's1', message: 'maxCredits reached' };
    expect(swarmOutcomeError(swarm({ status: 'paused', parkedOn }))?.hint).toContain(
      'swarmflow swarm resume s1',
    );
  });
});

describe('subtaskError', () => {
  const subtask = (fields: Partial<Subtask>): Subtask => ({
    id: 't1',
    description: 'do it',
    dependsOn: [],
    status: 'done',
    ...fields,
  });

  it('is absent for a subtask done or to do', () => {
    expect(subtaskError(subtask({}))).toBeUndefined();
    expect(subtaskError(subtask({ status: 'todo' }))).toBeUndefined();
  });

  it("a failed subtask's type is its failure's; a failed child run is RunFailed", () => {
    expect(
      subtaskError(subtask({ status: 'failed', error: 'bad', errorType: 'InvalidRoutineInput' })),
    ).toEqual({
      message: 'bad',
      type: 'InvalidRoutineInput',
      subtaskId: 't1',
    });
    expect(subtaskError(subtask({ status: 'failed', errorType: RUN_FAILED, runId: 's:t1' }))).toMatchObject({
      type: 'RunFailed',
      runId: 's:t1',
    });
  });

  it('a blocked subtask names why', () => {
    expect(subtaskError(subtask({ status: 'blocked' }))).toMatchObject({ type: 'SubtaskBlocked' });
  });
});
