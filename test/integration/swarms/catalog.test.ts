import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSwarmActivities } from '../../../activities/swarms/index.ts';
import { getSwarmState, listSwarms } from '../../../activities/swarms/swarm-read-model.ts';
import { UnknownAgentError, UnknownSwarmError } from '../../../client/errors.ts';
import { SwarmflowClient } from '../../../client/sdk.ts';
import { type Agent, LEADER_ROLE } from '../../../schema/agent.ts';
import { loadConfig } from '../../../schema/config.ts';
import { DeploymentConfig } from '../../../schema/deployment-config.ts';
import { SwarmLimits, type SwarmRecord, type TranscriptEntry } from '../../../schema/swarm.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { type StoreBackend, storeBackends } from '../store/backends.ts';
import { registerSampleRoutines } from './support.ts';

/** The swarm activities against PostgreSQL, called as plain functions, and the SDK's catalog and read models. */

const tenantId = 'default';
let database: TestDatabase;
let client: SwarmflowClient;
let activities: ReturnType<typeof createSwarmActivities>;

beforeAll(async () => {
  database = await createTestDatabase();
  client = await SwarmflowClient.connect({
    config: {
      ...loadConfig({}),
      temporalAddress: inject('temporalAddress'),
      databaseUrl: database.url,
      tenantId,
    },
    database: { db: database.db, url: database.url, close: async () => {} },
  });
  const deployment = DeploymentConfig.parse({
    models: { planner: { provider: 'scripted', turns: [{ text: 'a plan' }] } },
    defaultModel: 'planner',
  });
  activities = createSwarmActivities({ db: database.db, tier3: { deployment } });
  await registerSampleRoutines(client);
});
afterAll(async () => {
  await client?.close();
  await database?.drop();
});

const agent = (id: string, role: string, extra: Partial<Agent> = {}): Agent => ({
  id,
  role,
  description: '',
  skills: [],
  tools: [],
  routines: ['*'],
  ...extra,
});
const leader = agent('chief', LEADER_ROLE);
const analyst = agent('analyst', 'analyst', { skills: ['figures', 'charts'], routines: ['collect-*'] });
const scribe = agent('scribe', 'writer', { skills: ['prose'], routines: ['write-*'] });

const refusal = (type: string, message: RegExp) => ({
  type,
  nonRetryable: true,
  message: expect.stringMatching(message),
});

describe('the agent catalog through the SDK', () => {
  it('registers agents with their defaults, replaces one by id, lists, gets and deletes them', async () => {
    expect(await client.agents.register({ id: 'temp', role: 'tester' })).toEqual(agent('temp', 'tester'));
    const replaced = await client.agents.register({ id: 'temp', role: 'tester', skills: ['qa'], model: 'm' });
    expect(await client.agents.get('temp')).toEqual(replaced);
    expect((await client.agents.list()).map((a) => a.id)).toContain('temp');

    const unknown = await client.agents.get('tmp').catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(UnknownAgentError);
    expect((unknown as Error).message).toBe('no agent "tmp" in the catalog; did you mean "temp"?');

    expect(await client.agents.delete('temp')).toBe(true);
    expect(await client.agents.delete('temp')).toBe(false);
    await expect(client.agents.register({ id: 'bad id!', role: '' })).rejects.toThrow(/id: .*\n.*role/);
  });
});

describe('team assembly', () => {
  it('gives the default leader when the catalog is empty', async () => {
    const team = await activities.assembleSwarmTeam({
      tenantId: 'empty',
      requirements: { roles: [], skills: [] },
    });
    expect(team.map((a) => [a.id, a.role])).toEqual([['leader', LEADER_ROLE]]);
  });

  it('takes the catalog leader, an agent per role and agents covering the skills', async () => {
    for (const each of [scribe, analyst, leader]) await client.agents.register(each);
    const team = await activities.assembleSwarmTeam({
      tenantId,
      requirements: { roles: ['Writer'], skills: ['charts', 'figures', 'prose'] },
    });
    expect(team.map((a) => a.id)).toEqual(['chief', 'scribe', 'analyst']);
  });

  it('names every role and skill the catalog cannot cover', async () => {
    await expect(
      activities.assembleSwarmTeam({
        tenantId,
        requirements: { roles: ['astronaut'], skills: ['figures', 'poetry'] },
      }),
    ).rejects.toMatchObject(
      refusal(
        'TeamNotAssembled',
        /no agent has the role "astronaut"; no agent has the skill "poetry"; register/,
      ),
    );
  });

  it('knows which models can lead', async () => {
    expect(await activities.swarmModels()).toEqual({ defaultModel: 'planner', names: ['planner'] });
  });
});

describe('the rule-based planner', () => {
  const plan = (goal: string, maxSubtasks = 50, input = {}) =>
    activities.planSwarmFromCatalog({ tenantId, goal, team: [leader, analyst, scribe], maxSubtasks, input });

  it('plans the routines like the goal, after the routines producing what they need, for allowed agents', async () => {
    expect(await plan('collect the facts and figures, and write a report')).toEqual([
      {
        id: 'collect-facts',
        description: 'Collect facts: Collects the facts about a topic',
        dependsOn: [],
        routineId: 'collect-facts',
        assignee: 'analyst',
      },
      expect.objectContaining({ id: 'collect-figures', dependsOn: [], assignee: 'analyst' }),
      expect.objectContaining({
        id: 'write-report',
        dependsOn: ['collect-facts', 'collect-figures'],
        assignee: 'scribe',
      }),
    ]);
  });

  it('keeps to maxSubtasks, the most similar routines first', async () => {
    const input = { facts: 'f', figures: 1 };
    expect(await plan('collect the facts and figures, and write a report', 1, input)).toEqual([
      expect.objectContaining({ id: 'write-report', dependsOn: [], assignee: 'scribe' }),
    ]);
  });

  it('refuses a plan whose routines need input that neither the swarm nor a dependency gives', async () => {
    await expect(plan('collect the facts and figures, and write a report', 1)).rejects.toMatchObject(
      refusal('MissingRoutineInput', /write-report needs facts, figures/),
    );
  });

  it('gives a routine no other agent may run to the leader', async () => {
    expect(await plan('wait for a review')).toEqual([
      expect.objectContaining({ routineId: 'await-review', assignee: 'chief' }),
    ]);
  });

  it('refuses a goal no routine is like, naming the nearest routines and their scores', async () => {
    await expect(plan('bake a cake')).rejects.toMatchObject(
      refusal(
        'NoMatchingRoutine',
        /no routine matching the goal "bake a cake"; nearest: [\w-]+ \(-?[\d.]+\)/,
      ),
    );
  });
});

describe('preparing a child run', () => {
  const prepare = (routineId: string, input: Record<string, string | number>) =>
    activities.prepareSwarmRun({ tenantId, routineId, runId: 's1:report', input });

  it("gives the input of a run of the routine's latest version", async () => {
    const input = await prepare('write-report', { facts: 'f', figures: 1 });
    expect(input).toMatchObject({
      runId: 's1:report',
      routine: { tenantId, id: 'write-report', version: 1 },
      variables: { facts: 'f', figures: 1 },
    });
    expect(input.graph.elements).toBeDefined();
  });

  it('refuses an unknown routine, suggesting similar ids', async () => {
    await expect(prepare('write-reports', {})).rejects.toMatchObject(
      refusal('UnknownRoutine', /no routine "write-reports"; did you mean "write-report"/),
    );
  });

  it('refuses input that does not fit the input schema, naming the fields', async () => {
    await expect(prepare('write-report', { facts: 'f' })).rejects.toMatchObject(
      refusal(
        'InvalidRoutineInput',
        /routine write-report \(version 1\).*must have required property 'figures'/,
      ),
    );
  });
});

const record = (overrides: Partial<SwarmRecord> = {}): SwarmRecord => ({
  swarmId: 'recorded',
  tenantId,
  workflowId: 'swarm/recorded',
  status: 'running',
  goal: 'report on widgets',
  team: [leader, scribe],
  subtasks: [
    {
      id: 'facts',
      description: 'Collect the facts',
      status: 'done',
      dependsOn: [],
      result: { facts: 'x' },
    },
    { id: 'report', description: 'Write', status: 'todo', dependsOn: ['facts'], routineId: 'write-report' },
  ],
  usage: { inputTokens: 10, outputTokens: 5, toolCalls: 1, wallMs: 100, credits: 0.5 },
  limits: SwarmLimits.parse({}),
  lineage: { rootSwarmId: 'recorded', depth: 0 },
  ended: false,
  ...overrides,
});
const entry = (seq: number, text = `entry ${seq}`): TranscriptEntry => ({
  seq,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
  from: 'user',
  to: 'swarm',
  kind: 'message',
  text,
});

describe('the swarm read model', () => {
  it('upserts a swarm and its subtasks idempotently, and reads them back without a workflow', async () => {
    await activities.recordSwarm(record());
    await activities.recordSwarm(record());
    const state = await client.swarms.get('recorded');
    expect(state).toMatchObject({ status: 'running', goal: 'report on widgets', team: [leader, scribe] });
    expect(state.subtasks).toEqual(record().subtasks);
    expect(await client.swarms.list()).toEqual([
      expect.objectContaining({ swarmId: 'recorded', subtasksDone: 1, subtasksTotal: 2, endedAt: null }),
    ]);

    const [facts] = record().subtasks;
    const ended = record({
      status: 'completed',
      subtasks: facts ? [facts] : [],
      result: 'done',
      ended: true,
    });
    await activities.recordSwarm(ended);
    const [first] = await client.swarms.list({ status: 'completed' });
    await activities.recordSwarm(ended);
    const [again] = await client.swarms.list({ parentSwarmId: null });
    expect(again).toMatchObject({ status: 'completed', subtasksDone: 1, subtasksTotal: 1 });
    expect(again?.endedAt).toBe(first?.endedAt);
    expect(await client.swarms.result('recorded')).toMatchObject({ status: 'completed', result: 'done' });
    expect(await client.swarms.list({ parentSwarmId: 'recorded' })).toEqual([]);
  });

  it('stores each transcript entry once and pages through it', async () => {
    const request = { tenantId, swarmId: 'recorded', entries: [entry(0), entry(1)] };
    await activities.appendSwarmTranscript(request);
    await activities.appendSwarmTranscript(request);
    await activities.appendSwarmTranscript({ ...request, entries: [entry(1, 'rewritten'), entry(2)] });
    expect(await client.swarms.transcript('recorded')).toEqual([entry(0), entry(1), entry(2)]);
    expect(await client.swarms.transcript('recorded', { afterSeq: 0, limit: 1 })).toEqual([entry(1)]);
    expect((await client.swarms.get('recorded')).transcript).toEqual([entry(0), entry(1), entry(2)]);
  });

  it('names a swarm it does not know', async () => {
    await expect(client.swarms.get('ghost')).rejects.toBeInstanceOf(UnknownSwarmError);
    await expect(client.swarms.result('ghost')).rejects.toThrow('no swarm "ghost"');
  });
});

describe('the swarm read model on embedded PGlite', () => {
  it('upserts swarms and stores transcript entries once, as on PostgreSQL', async () => {
    const embedded = await (
      storeBackends.find(({ name }) => name === 'embedded PGlite') as StoreBackend
    ).open();
    try {
      const { db } = embedded;
      const onPglite = createSwarmActivities({ db, tier3: { deployment: DeploymentConfig.parse({}) } });
      await onPglite.recordSwarm(record());
      await onPglite.recordSwarm(record({ status: 'completed', result: 'done', ended: true }));
      await onPglite.recordSwarm(record({ status: 'completed', result: 'done', ended: true }));
      const request = { tenantId, swarmId: 'recorded', entries: [entry(0), entry(1)] };
      await onPglite.appendSwarmTranscript(request);
      await onPglite.appendSwarmTranscript({ ...request, entries: [entry(1, 'rewritten'), entry(2)] });

      expect(await getSwarmState(db, 'recorded')).toMatchObject({
        status: 'completed',
        result: 'done',
        subtasks: record().subtasks,
        transcript: [entry(0), entry(1), entry(2)],
      });
      expect(await listSwarms(db, tenantId)).toEqual([
        expect.objectContaining({ swarmId: 'recorded', subtasksDone: 1, subtasksTotal: 2 }),
      ]);
    } finally {
      await embedded.drop();
    }
  });
});

describe('the resource_manage tool', () => {
  const manage = (by: Agent, input: Parameters<typeof activities.manageSwarmResource>[0]['input']) =>
    activities.manageSwarmResource({ tenantId, agent: by, input });
  const helper = agent('helper', 'helper');

  it('lets any agent find routines and agents, most similar first', async () => {
    const found = await manage(scribe, { action: 'find', kind: 'routine', query: 'sales figures' });
    expect(found).toMatchObject({ routines: [{ id: 'collect-figures' }, { id: 'write-report' }] });
    expect(await manage(scribe, { action: 'find', kind: 'agent', query: 'charts' })).toEqual({
      agents: [analyst],
    });
  });

  it('refuses changes by agents other than the leader', async () => {
    await expect(manage(scribe, { action: 'add', kind: 'agent', agent: helper })).rejects.toMatchObject(
      refusal('ResourceManageRefused', /^scribe \(role "writer"\) may not add agents: only the leader/),
    );
    await expect(
      manage(analyst, { action: 'delete', kind: 'routine', id: 'write-report' }),
    ).rejects.toMatchObject(refusal('ResourceManageRefused', /may not delete routines/));
    expect((await client.listRoutines()).map((r) => r.id)).toContain('write-report');
  });

  it('lets the leader add, update and delete agents, repeats included', async () => {
    expect(await manage(leader, { action: 'add', kind: 'agent', agent: helper })).toEqual({ added: helper });
    expect(await manage(leader, { action: 'add', kind: 'agent', agent: helper })).toEqual({ added: helper });
    const changed = { ...helper, description: 'helps' };
    await expect(manage(leader, { action: 'add', kind: 'agent', agent: changed })).rejects.toMatchObject(
      refusal('ResourceManageRefused', /already has an agent "helper": use action "update"/),
    );
    expect(await manage(leader, { action: 'update', kind: 'agent', agent: changed })).toEqual({
      updated: changed,
    });
    expect(await client.agents.get('helper')).toEqual(changed);
    expect(await manage(leader, { action: 'delete', kind: 'agent', id: 'helper' })).toEqual({
      kind: 'agent',
      id: 'helper',
      deleted: true,
    });
    await expect(manage(leader, { action: 'update', kind: 'agent', agent: helper })).rejects.toMatchObject(
      refusal('ResourceManageRefused', /no agent "helper" to update: use action "add"/),
    );
  });

  it('lets the leader register and delete routines, and refuses one that does not compile', async () => {
    const routine = {
      id: 'greet',
      name: 'Greet',
      body: {
        kind: 'sequence' as const,
        steps: [{ id: 'hi', expression: '"hi"', resultVariable: 'greeting' }],
      },
    };
    expect(await manage(leader, { action: 'add', kind: 'routine', routine })).toEqual({
      id: 'greet',
      version: 1,
      created: true,
    });
    expect(await manage(leader, { action: 'find', kind: 'routine', query: 'greet' })).toMatchObject({
      routines: [{ id: 'greet', name: 'Greet' }],
    });
    expect(await manage(leader, { action: 'delete', kind: 'routine', id: 'greet' })).toMatchObject({
      deleted: true,
    });
    expect((await client.listRoutines()).map((r) => r.id)).not.toContain('greet');

    const broken = { id: 'broken', body: { kind: 'bpmn' as const, xml: '<definitions>' } };
    await expect(manage(leader, { action: 'add', kind: 'routine', routine: broken })).rejects.toMatchObject(
      refusal('ResourceManageRefused', /^routine broken does not compile: .*; fix it and add it again$/),
    );
  });
});
