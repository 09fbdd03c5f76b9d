import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../../support/stack.ts';
import { everythingServer, swarmflowCli } from '../tier3-runs/support/runs.ts';
import { callTool, leaderDeployment, startSwarmStack, subtaskStatuses, waitForSwarm } from './support.ts';

/** Swarms led by a scripted leader: planning, parallel subtasks, bad tool input, messages. */

const reportPlan = {
  blackboard: { set: { topic: 'widgets' } },
  subtasks: {
    set: [
      {
        id: 'facts',
        description: 'Collect the facts',
        routineId: 'collect-facts',
        input: { topic: 'widgets' },
      },
      { id: 'figures', description: 'Collect the figures', routineId: 'collect-figures' },
      {
        id: 'report',
        description: 'Write the report',
        routineId: 'write-report',
        dependsOn: ['facts', 'figures'],
      },
    ],
  },
};

const team = [
  { id: 'lead', role: 'leader' },
  { id: 'adder', role: 'calculator', tools: ['everything/get-sum'] },
];

const leader = leaderDeployment([
  callTool('Phase: planning[\\s\\S]*Goal: add numbers', 'update_swarm_shared_state', {
    subtasks: { set: [{ id: 'sum', description: 'Add 2 and 3 with the tool', assignee: 'adder' }] },
  }),
  {
    match: 'Phase: planning[\\s\\S]*Goal: tools at work',
    toolCalls: [
      { name: 'swarm__send_message', args: { to: 'user', text: 'working on it' } },
      { name: 'swarm__run_routine', args: { routineId: 'collect-figures' } },
      {
        name: 'swarm__run_routine',
        args: { routineId: 'collect-facts', mode: 'async', input: { topic: 'tools' } },
      },
    ],
  },
  { match: '^ok: subtask collect-facts-2 runs routine collect-facts', text: 'Started.' },
  { match: 'Subtask sum:', toolCalls: [{ name: 'everything__get-sum', args: { a: 2, b: 3 } }] },
  { match: 'sum of 2 and 3 is 5', text: '{"sum": 5}' },
  { match: '^refused: denied by the swarm', text: 'I may not add.' },
  callTool('Phase: planning[\\s\\S]*Goal: report on widgets', 'update_swarm_shared_state', reportPlan),
  callTool('Phase: planning[\\s\\S]*Goal: bad input', 'update_swarm_shared_state', {
    subtasks: { set: [{ id: 'x', dependsOn: ['ghost'] }] },
  }),
  callTool('^error: invalid input', 'update_swarm_shared_state', {
    subtasks: {
      set: [
        {
          id: 'x',
          description: 'facts',
          routineId: 'collect-facts',
          input: { topic: 'b' },
          dependsOn: ['ghost'],
        },
      ],
    },
  }),
  callTool('^error: subtasks.set', 'update_swarm_shared_state', {
    subtasks: { set: [{ id: 'x', description: 'facts', routineId: 'collect-facts', input: { topic: 'b' } }] },
  }),
  callTool('from user: please finish', 'end_swarm', { result: 'finished on request' }),
  callTool('Phase: planning[\\s\\S]*Goal: look up how to get sales numbers', 'knowledge_search', {
    query: 'get the sales numbers for a topic',
    kinds: ['routine'],
    limit: 1,
  }),
  callTool('^ok: \\[\\{"id":"routine:collect-figures#0"', 'end_swarm', { result: 'collect-figures' }),
  { match: 'Phase: planning[\\s\\S]*Goal: wait for orders', text: 'Waiting for orders.' },
  { match: '^ok: subtasks set', text: 'Planned.' },
  { match: 'Phase: review', text: 'All done.' },
]);

let stack: TestStack;

beforeAll(async () => {
  stack = await startSwarmStack({
    ...leader,
    mcpServers: { everything: everythingServer },
    toolPolicy: { rules: [{ tool: 'everything/get-sum', decision: 'approve' }] },
  });
});
afterAll(() => stack?.stop());

describe('a swarm with a scripted leader', () => {
  it('decomposes the goal into three subtasks, runs two in parallel and one after both, and completes', async () => {
    const { swarmId, workflowId } = await stack.client.swarms.start('report on widgets', {
      swarmId: 'widgets',
    });
    expect(workflowId).toBe('swarm/widgets');
    const outcome = await stack.client.swarms.result(swarmId);

    expect(outcome.status).toBe('completed');
    expect(subtaskStatuses(outcome)).toEqual({ facts: 'done', figures: 'done', report: 'done' });
    expect(outcome.result).toMatchObject({
      results: { report: { report: 'facts about widgets and 42' }, figures: { figures: 42 } },
    });
    expect(outcome.usage.inputTokens).toBeGreaterThan(0);

    const events = (await stack.client.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const started = events.flatMap((event, index) =>
      event.startChildWorkflowExecutionInitiatedEventAttributes ? [index] : [],
    );
    const firstCompleted = events.findIndex((event) => event.childWorkflowExecutionCompletedEventAttributes);
    expect(started).toHaveLength(3);
    expect(started[1]).toBeLessThan(firstCompleted);

    const state = await stack.client.swarms.get(swarmId);
    expect(state.blackboard).toEqual({ topic: 'widgets' });
    expect(state.children.map((child) => child.workflowId).sort()).toEqual([
      'run/widgets:facts',
      'run/widgets:figures',
      'run/widgets:report',
    ]);
    const transcript = await stack.client.swarms.transcript(swarmId);
    expect(transcript.map((entry) => entry.kind)).toContain('tool_call');
    expect(transcript.map((entry) => entry.seq)).toEqual(transcript.map((_, index) => index));
    const [listed] = await stack.client.swarms.list({ status: 'completed' });
    expect(listed).toMatchObject({ swarmId: 'widgets', subtasksDone: 3, subtasksTotal: 3 });
  });

  it('lets the leader search the knowledge base with knowledge_search', async () => {
    const { swarmId } = await stack.client.swarms.start('look up how to get sales numbers', {
      swarmId: 'knowledge-search',
    });
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome).toMatchObject({ status: 'completed', result: 'collect-figures' });

    // Ended swarms and runs are in the knowledge base too (the widgets swarm above ran first).
    const swarms = await stack.client.knowledge.search({
      query: 'report on widgets',
      kinds: ['swarmResult'],
    });
    expect(swarms[0]).toMatchObject({ sourceId: 'widgets', metadata: { status: 'completed' } });
    const runs = await stack.client.knowledge.search({ query: 'run of write-report', kinds: ['runSummary'] });
    expect(runs[0]).toMatchObject({ sourceId: 'widgets:report', metadata: { routineId: 'write-report' } });
    expect(runs[0]?.content).toMatch(/^Run of routine write-report \(version 1\) completed\./);
  });

  it('answers bad tool input with the problems, changes nothing, and goes on', async () => {
    const { swarmId } = await stack.client.swarms.start('bad input', { swarmId: 'bad-input' });
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome.status).toBe('completed');
    expect(subtaskStatuses(outcome)).toEqual({ x: 'done' });
    const results = (await stack.client.swarms.transcript(swarmId))
      .filter((entry) => entry.kind === 'tool_result')
      .map((entry) => entry.text);
    expect(results[0]).toMatch(
      /^error: invalid input for update_swarm_shared_state, nothing changed: subtasks\.set\.0\.description/,
    );
    expect(results[1]).toBe('error: subtasks.set[0].dependsOn: no subtask "ghost"');
    expect(results[2]).toBe('ok: subtasks set: x');
  });

  it('idles waiting for messages, rejects bad ones, and ends when the leader is asked to', async () => {
    const { swarmId } = await stack.client.swarms.start('wait for orders', {
      swarmId: 'orders',
      awaitMessages: true,
    });
    await waitForSwarm(stack.client, swarmId, 'idle', (state) => state.status === 'idle');

    await expect(stack.client.swarms.message(swarmId, { text: 'hi', to: 'nobody' })).rejects.toThrow(
      /to: "nobody" is none of swarm, /,
    );
    await expect(
      stack.client.swarms.updateSharedState(swarmId, {
        blackboard: { increment: { count: 1 }, append: { count: 2 } },
      }),
    ).rejects.toThrow(
      /refused to update its shared state.*blackboard.increment.count: "count" holds a list, not a number/,
    );
    const updated = await stack.client.swarms.updateSharedState(swarmId, {
      blackboard: { set: { mood: 'calm' } },
    });
    expect(updated.blackboard).toEqual({ mood: 'calm' });

    await stack.client.swarms.message(swarmId, 'please finish');
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome).toMatchObject({ status: 'completed', result: 'finished on request' });
  });

  it('lets a worker agent call an MCP tool once a person approves it (from the CLI)', async () => {
    const { swarmId } = await stack.client.swarms.start('add numbers', { swarmId: 'adding', team });
    const waiting = await waitForSwarm(
      stack.client,
      swarmId,
      'an approval',
      (state) => state.pendingApprovals.length > 0,
    );
    expect(waiting.pendingApprovals).toEqual([
      expect.objectContaining({
        runId: 'adding',
        callId: 'sum/call-1',
        server: 'everything',
        tool: 'get-sum',
        args: { a: 2, b: 3 },
      }),
    ]);
    const listed = JSON.parse(
      await swarmflowCli(stack.config, ['approvals', 'list', '--swarm', swarmId, '--json']),
    );
    expect(listed).toEqual(waiting.pendingApprovals);
    const decided = await swarmflowCli(stack.config, [
      'approvals',
      'approve',
      swarmId,
      'sum/call-1',
      '--swarm',
      '--by',
      'ada',
    ]);
    expect(decided).toBe('approved everything/get-sum (sum/call-1)\n');
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome.status).toBe('completed');
    expect(outcome.subtasks).toEqual([
      expect.objectContaining({ id: 'sum', status: 'done', assignee: 'adder', result: { sum: 5 } }),
    ]);
    expect(outcome.usage.toolCalls).toBe(1);
  });

  it('runs routines for the leader: sync returns the outputs, async becomes a subtask; messages reach the user', async () => {
    const { swarmId } = await stack.client.swarms.start('tools at work', { swarmId: 'tools' });
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome.status).toBe('completed');
    expect(outcome.subtasks).toEqual([
      expect.objectContaining({
        id: 'collect-facts-2',
        status: 'done',
        routineId: 'collect-facts',
        assignee: 'leader',
      }),
    ]);
    const transcript = await stack.client.swarms.transcript(swarmId);
    expect(transcript).toContainEqual(
      expect.objectContaining({ from: 'leader', to: 'user', kind: 'message', text: 'working on it' }),
    );
    const results = transcript.filter((entry) => entry.kind === 'tool_result').map((entry) => entry.text);
    expect(results[1]).toMatch(/^ok: \{.*"figures":42.*\}$/);
    const children = (await stack.client.swarms.get(swarmId)).children.map((child) => child.workflowId);
    expect(children.sort()).toEqual(['run/tools:collect-facts-2', 'run/tools:leader-call-1']);
  });

  it("applies the swarm's own tool policy on top of the deployment's", async () => {
    const { swarmId } = await stack.client.swarms.start('add numbers', {
      swarmId: 'no-adding',
      team,
      toolPolicy: { rules: [{ tool: 'everything/*', decision: 'deny' }] },
    });
    const outcome = await stack.client.swarms.result(swarmId);
    expect(outcome.subtasks).toEqual([
      expect.objectContaining({ id: 'sum', status: 'done', result: 'I may not add.' }),
    ]);
    expect(outcome.usage.toolCalls).toBe(0);
    const refusal = (await stack.client.swarms.transcript(swarmId)).find(
      (entry) => entry.kind === 'tool_result' && entry.to === 'adder',
    );
    expect(refusal?.text).toBe(
      'refused: denied by the swarm no-adding rule 1 (tool "everything/*"): deny; it did not run',
    );
  });
});
