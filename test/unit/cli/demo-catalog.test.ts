import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDeployment, readDemoCatalog } from '../../../client/demo-catalog.ts';
import { readTeamFile } from '../../../client/team-file.ts';
import { compileRoutine } from '../../../compiler/index.ts';
import { ScriptFile } from '../../../schema/models.ts';
import { SWARM_TOOL_SERVER, SWARM_TOOLS, type SwarmToolName } from '../../../schema/swarm-tools.ts';

const leaderScript = new URL('../../../examples/demo/leader.script.json', import.meta.url);

describe('the demo catalog', () => {
  it('has a BPMN routine, a sequence with an LLM step, a leader and two workers, and compiles', async () => {
    const catalog = await readDemoCatalog();
    expect(catalog.routines.map((routine) => `${routine.id}:${routine.body.kind}`)).toEqual([
      'quote-launch-price:bpmn',
      'draft-announcement:sequence',
      'assemble-brief:sequence',
    ]);
    for (const routine of catalog.routines) await compileRoutine(routine.body);
    const steps = catalog.routines.flatMap((routine) =>
      routine.body.kind === 'sequence' ? routine.body.steps : [],
    );
    expect(steps.some((step) => step.prompt !== undefined)).toBe(true);
    expect(catalog.agents.map((agent) => agent.role)).toEqual(['leader', 'worker', 'worker']);
  });

  it("scripts the leader's swarm tool calls with valid input, naming routines and agents of the catalog", async () => {
    const catalog = await readDemoCatalog();
    const script = ScriptFile.parse(JSON.parse(await readFile(leaderScript, 'utf8')));
    const calls = script.turns.flatMap((turn) => turn.toolCalls ?? []);
    expect(calls.map((call) => call.name)).toEqual(['swarm__update_swarm_shared_state', 'swarm__end_swarm']);
    for (const call of calls) {
      const tool = call.name.slice(`${SWARM_TOOL_SERVER}__`.length) as SwarmToolName;
      expect(SWARM_TOOLS[tool].input.safeParse(call.args).success).toBe(true);
    }
    const plan = SWARM_TOOLS.update_swarm_shared_state.input.parse(calls[0]?.args);
    const subtasks = plan.subtasks?.set ?? [];
    expect(subtasks.map((subtask) => subtask.dependsOn)).toEqual([[], [], ['price', 'announce']]);
    const routineIds = catalog.routines.map((routine) => routine.id);
    const agentIds = catalog.agents.map((agent) => agent.id);
    for (const subtask of subtasks) {
      expect(routineIds).toContain(subtask.routineId);
      expect(agentIds).toContain(subtask.assignee);
    }
  });

  it("configures the scripted models the demo's routines and leader use", async () => {
    const deployment = await demoDeployment();
    expect(deployment.defaultModel).toBe('demo-leader');
    expect(Object.keys(deployment.models).sort()).toEqual(['demo-leader', 'demo-writer', 'demo-writer-lite']);
    // Model selection has a cheaper writer to propose for the improvement cycle the demo ends with.
    const price = (model: string) =>
      (deployment.prices.models[model]?.inputPer1k ?? 0) +
      (deployment.prices.models[model]?.outputPer1k ?? 0);
    expect(price('demo-writer-lite')).toBeLessThan(price('demo-writer'));
    const catalog = await readDemoCatalog();
    const models = catalog.routines.flatMap((routine) =>
      routine.body.kind === 'sequence' ? routine.body.steps.map((step) => step.model) : [],
    );
    expect(models.filter(Boolean)).toEqual(['demo-writer']);
    expect(catalog.improvement).toEqual({
      routineId: 'draft-announcement',
      inputs: [{ product: 'Borealis fan' }, { product: 'Cirrus kettle' }, { product: 'Dune speaker' }],
    });
  });
});

describe('team files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'swarmflow-team-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names the file and the field at fault', async () => {
    const file = join(dir, 'team.json');
    await writeFile(
      file,
      JSON.stringify([
        { id: 'lead', role: 'leader' },
        { id: 'x y', role: 'worker', colour: 1 },
      ]),
    );
    const message = await readTeamFile(file).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(message).toContain(`team file ${file}`);
    expect(message).toMatch(/1\.id: letters, digits/);
    expect(message).toMatch(/colour/);
  });

  it('says when the file is missing or not JSON', async () => {
    await expect(readTeamFile(join(dir, 'absent.json'))).rejects.toThrow(/absent\.json[\s\S]*no such file/);
    const file = join(dir, 'broken.json');
    await writeFile(file, '[{');
    await expect(readTeamFile(file)).rejects.toThrow(/not valid JSON/);
  });
});
