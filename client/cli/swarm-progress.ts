import type { Parking } from '../../schema/outcome-error.ts';
import type { SwarmState } from '../../schema/swarm.ts';
import { parkingError } from '../outcome-errors.ts';
import type { SwarmflowApi } from '../remote/swarmflow-api.ts';
import { showProgress } from './progress.ts';

/**
 * A swarm's progress: subtasks done of total, credits used, and what it is doing now; where it
 * waits for a person, when the client can tell (the direct SDK).
 */
export function showSwarmProgress<T>(client: SwarmflowApi, swarmId: string, waiting: Promise<T>): Promise<T> {
  return showProgress(waiting, async () => {
    const [state, parkedOn] = await Promise.all([
      client.swarms.get(swarmId),
      client.swarms.parkedOn?.(swarmId).catch(() => undefined),
    ]);
    const line = swarmProgressLine(state);
    if (!parkedOn) return line;
    const error = parkingDescription(parkedOn);
    return `${line} · ${error}`;
  });
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
