import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { SwarmOutcome } from '../../../schema/swarm.ts';
import {
  type DemoCatalog,
  demoDeployment,
  readDemoCatalog,
  registerDemoCatalog,
} from '../../demo-catalog.ts';
import { withEmbeddedStack } from '../../embedded.ts';
import type { SwarmflowClient } from '../../sdk.ts';
import { DEFAULT_DEV_SERVER_UI_PORT } from '../../server/dev-server.ts';
import { showDemoImprovementCycle } from '../demo-improvement.ts';
import { printSwarmOutcome } from '../swarm-output.ts';
import { showSwarmProgress } from '../swarm-progress.ts';

interface DemoOptions {
  ui?: boolean;
  uiPort: number;
}

export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'a swarm on a sample goal, then one improvement cycle on a sample routine, offline, on a throwaway server, database and worker',
    )
    .option('--ui', 'serve the Temporal Web UI and keep the stack up after the swarm until Ctrl-C')
    .option('--ui-port <port>', 'Web UI port', Number, DEFAULT_DEV_SERVER_UI_PORT)
    .action(async (options: DemoOptions) => {
      const catalog = await readDemoCatalog();
      const deployment = await demoDeployment();
      say(
        'Swarmflow demo: a Temporal dev server, embedded PostgreSQL and an in-process worker, all throwaway;',
        'the agents answer from scripted models (examples/demo), so it runs offline.',
      );
      const completed = await withEmbeddedStack(
        (client) => runDemo(client, catalog, options),
        options.ui ? { deployment, uiPort: options.uiPort } : { deployment },
      );
      if (!completed) process.exitCode = 1;
    });
}

/** Registers the catalog, runs the swarm on the sample goal, reports it; false when it did not complete. */
async function runDemo(
  client: SwarmflowClient,
  catalog: DemoCatalog,
  options: DemoOptions,
): Promise<boolean> {
  await registerDemoCatalog(client, catalog);
  say(
    `catalog: routines ${catalog.routines.map((routine) => `${routine.id} (${routine.body.kind})`).join(', ')}`,
    `         agents ${catalog.agents.map((agent) => `${agent.id} (${agent.role})`).join(', ')}`,
    `goal: ${catalog.goal}`,
  );
  const { swarmId } = await client.swarms.start(catalog.goal, {
    swarmId: `launch-${randomUUID().slice(0, 8)}`,
    input: catalog.input,
    requirements: catalog.requirements,
  });
  const outcome = await showSwarmProgress(client, swarmId, client.swarms.result(swarmId));
  say('');
  printSwarmOutcome(outcome);
  await printTemporalIds(client, outcome);
  if (outcome.status === 'completed') await showDemoImprovementCycle(client, catalog, say);
  if (options.ui) await browseUntilInterrupted(options.uiPort, swarmId);
  else
    say(
      '',
      'This stack is thrown away when the demo ends: `swarmflow demo --ui` keeps it up with the Temporal Web UI',
      '(port 8233), and `swarmflow server start --ui` runs a lasting server with it.',
    );
  return outcome.status === 'completed';
}

/** The workflows of the swarm and its children, to find in the Temporal Web UI or with `temporal workflow show`. */
async function printTemporalIds(client: SwarmflowClient, outcome: SwarmOutcome): Promise<void> {
  const state = await client.swarms.get(outcome.swarmId);
  say(
    '',
    'Temporal workflow ids:',
    `  swarm/${outcome.swarmId}  (the swarm)`,
    ...state.children.map(
      (child) =>
        `  ${child.workflowId}  (${child.kind}${child.subtaskId ? ` of subtask ${child.subtaskId}` : ''})`,
    ),
  );
}

async function browseUntilInterrupted(uiPort: number, swarmId: string): Promise<void> {
  const url = `http://127.0.0.1:${uiPort}/namespaces/default/workflows/${encodeURIComponent(`swarm/${swarmId}`)}`;
  say('', `Temporal Web UI: ${url}`, 'Press Ctrl-C to end the demo and throw its stack away.');
  await new Promise((resolve) => process.once('SIGINT', resolve));
}

function say(...lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}
