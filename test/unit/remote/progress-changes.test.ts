import { describe, expect, it } from 'vitest';
import {
  runHasEnded,
  runProgress,
  swarmHasEnded,
  swarmProgress,
} from '../../../client/remote/progress-changes.ts';
import type { RunState } from '../../../schema/run.ts';
import type { SwarmState } from '../../../schema/swarm.ts';
import { NO_USAGE } from '../../../schema/usage.ts';

const run: RunState = {
  runId: 'r1',
  status: 'running',
  outputs: { order: 7 },
  trace: [{ elementId: 'start', type: 'startEvent', status: 'completed' }],
  activeElements: ['review'],
  stepsExecuted: 1,
  usage: { ...NO_USAGE },
  llmSteps: [],
  pendingApprovals: [],
};

const swarm: SwarmState = {
  swarmId: 's1',
  tenantId: 't1',
  status: 'running',
  goal: 'write a report',
  team: [],
  subtasks: [{ id: 'collect', description: 'collect the facts', dependsOn: [], status: 'in_progress' }],
  blackboard: {},
  transcript: [
    { seq: 3, at: '2025-01-01T00:00:00.000Z', from: 'swarm', to: 'user', kind: 'event', text: 'go' },
  ],
  children: [],
  usage: { ...NO_USAGE },
  limits: { maxSubtasks: 10 } as SwarmState['limits'],
  lineage: { rootSwarmId: 's1', depth: 0 },
  pendingApprovals: [],
  currentActivity: 'collecting',
};

const approval = {
  callId: 'step-1#1',
  tool: 'mail/send',
  args: {},
  requestedAt: '2025-01-01T00:00:00.000Z',
} as unknown as RunState['pendingApprovals'][number];

describe('runProgress', () => {
  const changed = (next: Partial<RunState>) => runProgress.key({ ...run, ...next }) !== runProgress.key(run);

  it('is the same for an equal state, even a copy', () => {
    expect(runProgress.key(structuredClone(run))).toBe(runProgress.key(run));
  });

  it('changes with the status, where it waits, steps, trace, incident, budget, approvals, LLM steps and usage', () => {
    expect(changed({ status: 'completed' })).toBe(true);
    expect(changed({ activeElements: [] })).toBe(true);
    expect(changed({ stepsExecuted: 2 })).toBe(true);
    expect(
      changed({ trace: [...run.trace, { elementId: 'review', type: 'userTask', status: 'completed' }] }),
    ).toBe(true);
    expect(changed({ incident: { elementId: 'review', message: 'boom' } })).toBe(true);
    expect(changed({ pausedOn: { limit: 'maxCredits', used: 2, max: 1 } })).toBe(true);
    expect(changed({ pendingApprovals: [approval] })).toBe(true);
    expect(changed({ usage: { ...NO_USAGE, credits: 0.5 } })).toBe(true);
    expect(changed({ error: 'boom' })).toBe(true);
  });

  it('does not change with the variables alone', () => {
    expect(changed({ outputs: { order: 8 } })).toBe(false);
  });

  it('tells an ended run from a parked and a running one', () => {
    for (const status of ['completed', 'failed', 'cancelled', 'terminated', 'timed_out'] as const) {
      expect(runHasEnded(status)).toBe(true);
      expect(runProgress.ended({ ...run, status })).toBe(true);
    }
    for (const status of ['running', 'incident', 'paused'] as const) expect(runHasEnded(status)).toBe(false);
    expect(runProgress.parked({ ...run, status: 'incident' })).toBe(true);
    expect(runProgress.parked({ ...run, status: 'paused' })).toBe(true);
    expect(runProgress.parked(run)).toBe(false);
  });
});

describe('swarmProgress', () => {
  const changed = (next: Partial<SwarmState>) =>
    swarmProgress.key({ ...swarm, ...next }) !== swarmProgress.key(swarm);

  it('is the same for an equal state, even a copy', () => {
    expect(swarmProgress.key(structuredClone(swarm))).toBe(swarmProgress.key(swarm));
  });

  it('changes with the status, subtasks, children, transcript, blackboard, approvals, activity, usage and result', () => {
    expect(changed({ status: 'idle' })).toBe(true);
    expect(changed({ statusReason: 'stopped by a person' })).toBe(true);
    expect(changed({ goal: 'write two reports' })).toBe(true);
    expect(
      changed({ subtasks: [{ ...(swarm.subtasks[0] as SwarmState['subtasks'][number]), status: 'done' }] }),
    ).toBe(true);
    expect(changed({ children: [{ kind: 'run', id: 'r1', workflowId: 'run/r1', status: 'running' }] })).toBe(
      true,
    );
    expect(
      changed({
        transcript: [
          ...swarm.transcript,
          { ...(swarm.transcript[0] as SwarmState['transcript'][number]), seq: 4 },
        ],
      }),
    ).toBe(true);
    expect(changed({ blackboard: { facts: 3 } })).toBe(true);
    expect(changed({ pendingApprovals: [approval] })).toBe(true);
    expect(changed({ currentActivity: 'writing' })).toBe(true);
    expect(changed({ usage: { ...NO_USAGE, inputTokens: 10 } })).toBe(true);
    expect(changed({ result: { report: 'done' } })).toBe(true);
  });

  it('does not change with the team alone', () => {
    expect(changed({ team: [{ id: 'chief', role: 'leader' } as SwarmState['team'][number]] })).toBe(false);
  });

  it('tells an ended swarm from one paused on a limit and a running one', () => {
    for (const status of ['completed', 'stopped', 'failed', 'cancelled'] as const) {
      expect(swarmHasEnded(status)).toBe(true);
    }
    for (const status of ['planning', 'running', 'idle', 'paused', 'stopping'] as const) {
      expect(swarmHasEnded(status)).toBe(false);
    }
    expect(swarmProgress.parked({ ...swarm, status: 'paused', pausedOnLimit: true })).toBe(true);
    expect(swarmProgress.parked({ ...swarm, status: 'paused' })).toBe(false);
  });
});
