import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SwarmflowClient } from '../../../../client/sdk.ts';
import type { SwarmflowConfig } from '../../../../schema/config.ts';
import type { RunState } from '../../../../schema/run.ts';
import { stackEnv } from '../../../support/stack-env.ts';
import { serverBin } from '../../tier3/support/mcp-servers.ts';

/** server-everything over stdio, spawned by the worker's MCP pool from its installed bin. */
export const everythingServer = { command: serverBin('mcp-server-everything'), args: ['stdio'] };

/**
 * The counter MCP server (support/counter-server.ts) as a deployment's stdio server, counting its
 * ticks in `ticksFile`: how many times its tool really ran, across worker processes.
 */
export function counterServer(ticksFile: string) {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', fileURLToPath(new URL('./counter-server.ts', import.meta.url))],
    cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
    env: { COUNTER_FILE: ticksFile },
  };
}

/** The scripted adder: calls everything/get-sum, then answers from the tool's text, or says it was refused. */
export const adderModel = {
  provider: 'scripted' as const,
  turns: [
    { match: 'the sum of 2 and 3 is 5', text: 'It is 5.' },
    { match: '^refused', text: 'I was not allowed to add them.' },
    { toolCalls: [{ name: 'everything__get-sum', args: { a: 2, b: 3 } }] },
  ],
};

/** A sequence step asking the adder to add with get-sum. */
export const addStep = {
  id: 'add',
  prompt: 'Add {{ a }} and {{ b }}',
  model: 'adder',
  tools: ['everything/get-sum'],
};

/** Polls a run's live state until `accept` holds; fails naming `what` and the last state. */
export async function waitForState(
  client: SwarmflowClient,
  runId: string,
  what: string,
  accept: (state: RunState) => boolean,
  timeoutMs = 20_000,
): Promise<RunState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await client.getRunState(runId);
    if (accept(state)) return state;
    if (Date.now() > deadline)
      throw new Error(`run ${runId}: ${what} did not happen; ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many times the run's history scheduled each activity type. */
export async function scheduledActivities(
  client: SwarmflowClient,
  runId: string,
): Promise<Record<string, number>> {
  const history = await client.temporal.workflow.getHandle(`run/${runId}`).fetchHistory();
  const counts: Record<string, number> = {};
  for (const event of history.events ?? []) {
    const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

const cli = fileURLToPath(new URL('../../../../bin/swarmflow.js', import.meta.url));

/** Runs the `swarmflow` CLI against the stack's server, database and task queue; rejects on a non-zero exit. */
export async function swarmflowCli(config: SwarmflowConfig, args: string[]): Promise<string> {
  const env = stackEnv(config);
  const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args], { env, timeout: 60_000 });
  return stdout;
}
