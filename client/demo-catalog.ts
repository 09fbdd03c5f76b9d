import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadDeploymentConfig } from '../activities/config/load-deployment-config.ts';
import { type Agent, TeamRequirements } from '../schema/agent.ts';
import type { DeploymentConfig } from '../schema/deployment-config.ts';
import { Variables } from '../schema/json.ts';
import { RoutineDefinition } from '../schema/routine.ts';
import { parseInput, ValidationError } from '../schema/validation.ts';
import { readRoutineFile } from './routine-files.ts';
import type { SwarmflowClient } from './sdk.ts';
import { readTeamFile } from './team-file.ts';

/** The sample catalog of `swarmflow demo`: routines, agents, a goal, and the scripted models that answer it. */
const DEMO_DIR = fileURLToPath(new URL('../examples/demo/', import.meta.url));

const CatalogManifest = z.strictObject({
  goal: z.string().min(1),
  input: Variables,
  requirements: TeamRequirements.describe('the roles and skills the swarm assembles its team for'),
  routines: z.array(
    RoutineDefinition.pick({ id: true, name: true, description: true, inputSchema: true, outputSchema: true })
      .partial()
      .extend({ file: z.string().min(1).describe('a .bpmn or .json routine beside the manifest') })
      .describe("the file's routine, with these fields set"),
  ),
  agents: z.string().min(1).describe('a team file beside the manifest'),
  improvement: z
    .strictObject({
      routine: z.string().min(1).describe('one of the routines above'),
      inputs: z.array(Variables).min(1).describe('inputs of the runs that give its cycle evidence'),
    })
    .describe('the improvement cycle the demo ends with'),
});

export interface DemoCatalog {
  goal: string;
  input: Variables;
  requirements: TeamRequirements;
  routines: RoutineDefinition[];
  agents: Agent[];
  /** The routine the demo's improvement cycle improves, and the inputs of its evidence runs. */
  improvement: { routineId: string; inputs: Variables[] };
}

export async function readDemoCatalog(): Promise<DemoCatalog> {
  const path = `${DEMO_DIR}catalog.json`;
  const manifest = parseInput(
    CatalogManifest,
    JSON.parse(await readFile(path, 'utf8')),
    `demo catalog ${path}`,
  );
  const routines = await Promise.all(
    manifest.routines.map(async ({ file, ...fields }) => {
      const definition = await readRoutineFile(`${DEMO_DIR}${file}`);
      return parseInput(RoutineDefinition, { ...definition, ...fields }, `demo routine ${file}`);
    }),
  );
  const agents = await readTeamFile(`${DEMO_DIR}${manifest.agents}`);
  const { goal, input, requirements } = manifest;
  const improvement = { routineId: manifest.improvement.routine, inputs: manifest.improvement.inputs };
  if (!routines.some((routine) => routine.id === improvement.routineId)) {
    throw new ValidationError(`demo catalog ${path}`, [
      `improvement.routine: "${improvement.routineId}" is none of the catalog's routines`,
    ]);
  }
  return { goal, input, requirements, routines, agents, improvement };
}

/** Registers the sample routines and agents (the same content again changes nothing). */
export async function registerDemoCatalog(client: SwarmflowClient, catalog: DemoCatalog): Promise<void> {
  for (const routine of catalog.routines) await client.registerRoutine(routine);
  for (const agent of catalog.agents) await client.agents.register(agent);
}

/** Whether the tenant has neither routines nor agents: then `swarm start --embedded` loads the sample catalog. */
export async function catalogIsEmpty(client: SwarmflowClient): Promise<boolean> {
  const [routines, agents] = await Promise.all([client.listRoutines(), client.agents.list()]);
  return routines.length === 0 && agents.length === 0;
}

/**
 * The demo's deployment: the scripted leader (the default model), the writer and a cheaper writer
 * that answers alike, priced so the swarm's credits show and model selection has a cheaper model to try.
 */
export function demoDeployment(): Promise<DeploymentConfig> {
  return loadDeploymentConfig({ SWARMFLOW_CONFIG: `${DEMO_DIR}swarmflow.config.json` });
}

/**
 * `deployment` plus the demo's models and their prices, so the sample routines run offline;
 * its own models win a name clash, and its default model (none: the rule-based planner) stays.
 */
export async function withDemoModels(deployment: DeploymentConfig): Promise<DeploymentConfig> {
  const demo = await demoDeployment();
  return {
    ...deployment,
    models: { ...demo.models, ...deployment.models },
    prices: { ...deployment.prices, models: { ...demo.prices.models, ...deployment.prices.models } },
  };
}
