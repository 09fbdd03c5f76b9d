import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../../support/stack.ts';
import { callTool, leaderDeployment, startSwarmStack, subtaskStatuses, waitForSwarm } from './support.ts';

/** People and limits in control of swarms: pause, resume, stop, emergency stop, budgets, sub-swarms, long lives. */

const plan = (goal: string, subtasks: object[], extra: object = {}) =>
  callTool(`Phase: planning[\\s\\S]*Goal: ${goal}\\n`, 'update_swarm_shared_state', {
    subtasks: { set: subtasks },
    ...extra,
  });
const routine = (id: string, routineId: string, dependsOn: string[] = []) => ({
  id,
  description: `run ${routineId}`,
  routineId,
  dependsOn,
});
const chain = Array.from({ length: 15 }, (_, index) =>
  routine(`c${index + 1}`, 'collect-figures', index === 0 ? [] : [`c${index}`]),
);

const leader = leaderDeployment([
  plan('slow chain', [routine('s1', 'slow-step'), routine('s2', 'collect-facts', ['s1'])]),
  plan('graceful', [routine('s1', 'slow-step'), routine('s2', 'collect-figures', ['s1'])]),
  plan('force', [routine('wait', 'await-review')]),
  plan('budget', [routine('f', 'collect-figures')]),
  plan('long chain', chain, { blackboard: { set: { kept: true } } }),
  plan('subtree', [routine('wait', 'await-review')]),
  plan('sub facts', [routine('facts', 'collect-facts')]),
  callTool('Phase: planning[\\s\\S]*Goal: tree\\n', 'spawn_swarm', {
    goal: 'subtree',
    subtaskId: 'sub',
    budget: { maxTokens: 5000 },
  }),
  callTool('Phase: planning[\\s\\S]*Goal: delegate\\n', 'spawn_swarm', {
    goal: 'sub facts',
    subtaskId: 'sub',
    budget: { maxTokens: 999_999 },
  }),
  callTool('^error: budget.maxTokens', 'spawn_swarm', {
    goal: 'sub facts',
    subtaskId: 'sub',
    budget: { maxTokens: 30_000 },
  }),
  { match: '^ok: subtask sub starts a sub-swarm', text: 'Delegated.' },
  { match: '^ok: subtasks set', text: 'Planned.' },
  { match: 'Phase: review', text: 'All done.' },
]);

let stack: TestStack;

beforeAll(async () => {
  stack = await startSwarmStack(leader);
});
afterAll(() => stack?.stop());

const input = { topic: 'swarms' };
const inProgress = (id: string) => (state: { subtasks: { id: string; status: string }[] }) =>
  subtaskStatuses(state)[id] === 'in_progress';
const childRunning =
  (workflowId: string) => (state: { children: { workflowId: string; status: string }[] }) =>
    state.children.some((child) => child.workflowId === workflowId && child.status === 'running');
const workflowStatus = async (workflowId: string) =>
  (await stack.client.temporal.workflow.getHandle(workflowId).describe()).status.name;

describe('people in control of a swarm', () => {
  it('pause holds new subtasks while running ones finish; resume goes on', async () => {
    const { swarmId } = await stack.client.swarms.start('slow chain', { swarmId: 'paused', input });
    await waitForSwarm(stack.client, swarmId, 's1 running', inProgress('s1'));
    expect(await stack.client.swarms.pause(swarmId, 'coffee')).toBe('paused');
    await expect(stack.client.swarms.pause(swarmId)).rejects.toThrow(/already paused/);
    const held = await waitForSwarm(
      stack.client,
      swarmId,
      's1 done',
      (state) => subtaskStatuses(state).s1 === 'done',
    );
    expect(held).toMatchObject({ status: 'paused', statusReason: 'coffee' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(subtaskStatuses(await stack.client.swarms.get(swarmId)).s2).toBe('todo');

    expect(await stack.client.swarms.resume(swarmId)).toBe('running');
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome.status).toBe('completed');
    expect(subtaskStatuses(outcome)).toEqual({ s1: 'done', s2: 'done' });
  });

  it('a graceful stop lets the running subtask finish and starts nothing new', async () => {
    const { swarmId } = await stack.client.swarms.start('graceful', { swarmId: 'graceful', input });
    await waitForSwarm(stack.client, swarmId, 's1 running', inProgress('s1'));
    expect(await stack.client.swarms.stop(swarmId, { reason: 'enough' })).toBe('stopping');
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome).toMatchObject({ status: 'stopped', error: 'enough' });
    expect(subtaskStatuses(outcome)).toEqual({ s1: 'done', s2: 'cancelled' });
  });

  it('a force stop cancels the running child run now', async () => {
    const { swarmId } = await stack.client.swarms.start('force', { swarmId: 'force', input });
    await waitForSwarm(stack.client, swarmId, 'the review waiting', childRunning('run/force:wait'));
    await stack.client.swarms.stop(swarmId, { mode: 'force' });
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome.status).toBe('stopped');
    expect(subtaskStatuses(outcome)).toEqual({ wait: 'cancelled' });
    expect(await workflowStatus('run/force:wait')).toBe('CANCELLED');
  });

  it('an emergency stop cancels the whole tree: the sub-swarm and its child run', async () => {
    const { swarmId } = await stack.client.swarms.start('tree', { swarmId: 'tree', input });
    await waitForSwarm(stack.client, 'tree.sub', 'the grandchild waiting', childRunning('run/tree.sub:wait'));
    const sub = await stack.client.swarms.get('tree.sub');
    expect(sub.lineage).toEqual({ rootSwarmId: 'tree', parentSwarmId: 'tree', depth: 1 });
    expect(sub.limits).toMatchObject({ maxTokens: 5000, maxDepth: 1 });

    await stack.client.swarms.stop(swarmId, { mode: 'force', reason: 'emergency' });
    expect((await stack.client.swarms.result(swarmId)).status).toBe('stopped');
    expect(await workflowStatus('swarm/tree.sub')).toBe('CANCELLED');
    expect(await workflowStatus('run/tree.sub:wait')).toBe('CANCELLED');
  });

  it('a sub-swarm runs on a budget reserved from its parent, and its usage rolls up', async () => {
    const { swarmId } = await stack.client.swarms.start('delegate', {
      swarmId: 'delegate',
      input,
      limits: { maxTokens: 200_000 },
    });
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome.status).toBe('completed');
    const sub = await stack.client.swarms.result('delegate.sub');
    expect(sub.status).toBe('completed');
    expect((await stack.client.swarms.get('delegate.sub')).limits.maxTokens).toBe(30_000);
    expect(outcome.usage.inputTokens).toBeGreaterThan(sub.usage.inputTokens);
    const refusal = (await stack.client.swarms.transcript(swarmId)).find((entry) =>
      entry.text.startsWith('error: budget'),
    );
    expect(refusal?.text).toMatch(/^error: budget.maxTokens: 999999 asked but only \d+ is left to reserve$/);
  });
});

describe('limits and long lives', () => {
  it('a limit reached pauses the swarm until its limits are raised', async () => {
    const { swarmId } = await stack.client.swarms.start('budget', {
      swarmId: 'budget',
      input,
      limits: { maxTokens: 1 },
    });
    const paused = await waitForSwarm(
      stack.client,
      swarmId,
      'paused on tokens',
      (state) => state.status === 'paused',
    );
    expect(paused.statusReason).toMatch(/^the swarm reached its limit maxTokens = 1 \(used \d+\)$/);
    await expect(stack.client.swarms.resume(swarmId, { limits: { maxTokens: 2 } })).rejects.toThrow(
      /the new limits do not let the swarm go on/,
    );
    await stack.client.swarms.resume(swarmId, { limits: { maxTokens: 100_000 } });
    expect((await stack.client.swarms.result(swarmId)).status).toBe('completed');
  });

  it('a limit reached stops the swarm when its limits say so', async () => {
    const { swarmId } = await stack.client.swarms.start('budget', {
      swarmId: 'budget-stop',
      input,
      limits: { maxTokens: 1, onLimit: 'stop' },
    });
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome.status).toBe('stopped');
    expect(outcome.error).toMatch(/maxTokens = 1/);
  });

  it('continues as new before its history grows long, carrying its state over', async () => {
    const { swarmId } = await stack.client.swarms.start('long chain', {
      swarmId: 'long-chain',
      input,
      limits: { historyEventsBeforeContinueAsNew: 200 },
    });
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome.status).toBe('completed');
    expect(Object.values(subtaskStatuses(outcome))).toEqual(chain.map(() => 'done'));
    const { count } = await stack.client.temporal.workflow.count(`WorkflowId = 'swarm/long-chain'`);
    expect(count).toBeGreaterThan(1);
    const state = await stack.client.swarms.get(swarmId);
    expect(state.blackboard).toEqual({ kept: true });
    const seqs = (await stack.client.swarms.transcript(swarmId, { limit: 1000 })).map((entry) => entry.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index));
  });
});
