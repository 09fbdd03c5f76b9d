import type { Parking } from '../../schema/outcome-error.ts';
import type { SwarmState } from '../../schema/swarm.ts';
import { parkingError } from '../outcome-errors.ts';
import type { SwarmflowApi } from '../remote/swarmflow-api.ts';
import { watchStates } from '../remote/watch-states.ts';
import { progressIntervalMs, showProgress } from './progress.ts';

/**
 * A swarm's progress: subtasks done of total, credits used, and what it is doing now; where it
 * waits for a person, when the client can tell (the direct SDK). A child run parking does not
 * change the swarm's state, so this watches the line itself rather than `swarms.watch`.
 */
export function showSwarmProgress<T>(client: SwarmflowApi, swarmId: string, waiting: Promise<T>): Promise<T> {
  return showProgress(waiting, async (show, signal) => {
    let line = 'starting';
    const describe = async () => {
      line = await describeSwarm(client, swarmId).catch(() => line);
      return line;
    };
    const lines = watchStates(describe, lineChanges, { pollIntervalMs: progressIntervalMs, signal });
    for await (const changed of lines) show(changed);
  });
}

/** Status lines are shown as they change, for as long as the spinner turns. */
const lineChanges = { key: (line: string) => line, ended: () => false, parked: () => false };

async function describeSwarm(client: SwarmflowApi, swarmId: string): Promise<string> {
  const [state, parkedOn] = await Promise.all([
    client.swarms.get(swarmId),
    client.swarms.parkedOn?.(swarmId).catch(() => undefined),
  ]);
  const line = swarmProgressLine(state);
  if (!parkedOn) return line;
  return `${line} · ${parkingDescription(parkedOn)}`;
}

function parkingDescription(parking: Parking): string {
  const where = [parking.subtaskId, parking.elementId].filter(Boolean).join(' at ');
  const { hint } = parkingError(parking);
  return `${parking.kind === 'incident' ? 'incident' : 'paused on a limit'}${where ? ` in ${where}` : ''}: ${parking.message} · ${hint}`;
}

export function swarmProgressLine(state: SwarmState): string {
  const done = state.subtasks.filter((subtask) => subtask.status === 'done').length;
  const credits = state.usage.credits.toFixed(4).replace(/\.?0+$/, '');
  return `${state.status} · ${done}/${state.subtasks.length} subtasks done · ${credits} credits · ${state.currentActivity || '-'}`;
}
