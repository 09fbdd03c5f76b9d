import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { registerSampleRoutines } from '../swarms/support.ts';
import type { Brain, Provider, ProviderStandIn } from './support.ts';
import * as models from './support.ts';

/**
 * Contract: an LLM-led swarm against each provider's strict stand-in. The leader plans with
 * update_swarm_shared_state, looks the catalog up with resource_manage (a discriminated union
 * merged into one object for the providers), runs a routine, and ends the swarm with its result;
 * no request is refused.
 */

/** A leader that plans, looks a routine up, runs it and ends the swarm with what it returned. */
const leaderBrain: Brain = ({ called, lastResults, tools }) => {
  const next = (name: string) => !called.includes(name);
  if (!tools.includes('swarm__end_swarm')) return { text: 'I cannot lead without the swarm tools.' };
  if (next('swarm__update_swarm_shared_state')) {
    return {
      toolCalls: [
        { name: 'swarm__update_swarm_shared_state', args: { blackboard: { set: { topic: 'widgets' } } } },
      ],
    };
  }
  if (next('swarm__resource_manage')) {
    return {
      toolCalls: [
        { name: 'swarm__resource_manage', args: { action: 'find', kind: 'routine', query: 'facts' } },
      ],
    };
  }
  if (next('swarm__run_routine')) {
    return {
      toolCalls: [
        { name: 'swarm__run_routine', args: { routineId: 'collect-facts', input: { topic: 'widgets' } } },
      ],
    };
  }
  if (next('swarm__end_swarm')) {
    return {
      toolCalls: [{ name: 'swarm__end_swarm', args: { result: { report: lastResults.join(' ') } } }],
    };
  }
  return { text: 'The swarm has ended.' };
};

let standIns: Map<Provider, ProviderStandIn>;
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ tenantId: `models-swarm-${randomUUID()}` });
  await registerSampleRoutines(stack.client);
  standIns = await models.startStandIns(() => leaderBrain);
  await stack.startWorker({
    deployment: { models: models.standInModels(standIns, (provider) => `leader-${provider}`) },
  });
});
afterAll(async () => {
  await stack?.stop();
  if (standIns) await models.stopStandIns(standIns);
});

describe.each(models.providers)('an LLM-led swarm through the %s stand-in', (provider) => {
  it('plans, looks up and runs a routine, ends with its result, and sends nothing the API refuses', async () => {
    const standIn = standIns.get(provider) as ProviderStandIn;
    const { swarmId } = await stack.client.swarms.start('report on widgets', {
      swarmId: `models-${provider}`,
      team: [{ id: 'lead', role: 'leader', model: `leader-${provider}` }],
    });
    const outcome = await stack.client.swarms.result(swarmId);

    expect(standIn.realRejections()).toEqual([]);
    expect(outcome.status).toBe('completed');
    const results = (await stack.client.swarms.transcript(swarmId))
      .filter((entry) => entry.kind === 'tool_result')
      .map((entry) => entry.text);
    expect(results).toHaveLength(4);
    expect(results[0]).toMatch(/^ok/);
    expect(results[1]).toContain('collect-facts');
    expect(results[2]).toContain('facts about widgets');
    expect(outcome.result).toEqual({ report: results[2] });
    expect((await stack.client.swarms.get(swarmId)).blackboard).toEqual({ topic: 'widgets' });
    expect(outcome.usage.inputTokens).toBeGreaterThan(0);

    const bodies = standIn.bodies();
    expect(bodies).toHaveLength(4);
    for (const body of bodies) expect(JSON.stringify(body.tools)).toContain('"swarm__resource_manage"');
  });
});
