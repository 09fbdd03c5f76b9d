import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../../support/stack.ts';
import { startSwarmStack, subtaskStatuses } from './support.ts';

/** With no model configured, the rule-based planner maps the goal to routines of the catalog. */

let stack: TestStack;

beforeAll(async () => {
  stack = await startSwarmStack();
  await stack.client.agents.register({ id: 'chief', role: 'leader' });
  await stack.client.agents.register({
    id: 'analyst',
    role: 'analyst',
    skills: ['figures'],
    routines: ['collect-*'],
  });
  await stack.client.agents.register({ id: 'scribe', role: 'writer', routines: ['write-*'] });
});
afterAll(() => stack?.stop());

describe('the rule-based planner', () => {
  it('plans the routines matching the goal, ordered by what they need, and runs them', async () => {
    const { swarmId } = await stack.client.swarms.start('collect the facts and figures and write a report', {
      swarmId: 'rules',
      input: { topic: 'gadgets' },
      requirements: { roles: ['writer'], skills: ['figures'] },
    });
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome.status).toBe('completed');
    expect(subtaskStatuses(outcome)).toEqual({
      'collect-facts': 'done',
      'collect-figures': 'done',
      'write-report': 'done',
    });
    const report = outcome.subtasks.find((subtask) => subtask.routineId === 'write-report');
    expect(report).toMatchObject({ dependsOn: ['collect-facts', 'collect-figures'], assignee: 'scribe' });
    expect(outcome.result).toMatchObject({
      results: { 'write-report': { report: 'facts about gadgets and 42' } },
    });
    const state = await stack.client.swarms.get(swarmId);
    expect(state.team.map((agent) => agent.id).sort()).toEqual(['analyst', 'chief', 'scribe']);
  });

  it('fails clearly when no routine matches the goal', async () => {
    const { swarmId } = await stack.client.swarms.start('bake a cake', { swarmId: 'no-match' });
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(
      /^the rule-based planner found no routine matching the goal "bake a cake"; nearest: [\w-]+ \(-?[\d.]+\)/,
    );
    expect(outcome.failure).toMatchObject({
      type: 'NoMatchingRoutine',
      hint: expect.stringContaining('register'),
    });
  });

  it('fails clearly when the catalog has no agent for a required role', async () => {
    const { swarmId } = await stack.client.swarms.start('collect the facts', {
      swarmId: 'no-team',
      requirements: { roles: ['astronaut'] },
    });
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/astronaut/);
    expect(outcome.failure?.type).toBe('TeamNotAssembled');
  });
});
