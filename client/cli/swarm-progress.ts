import type { SwarmState } from '../../schema/swarm.ts';
import type { SwarmflowClient } from '../sdk.ts';
import { showProgress } from './progress.ts';

/** A swarm's progress: subtasks done of total, credits used, and what it is doing now. */
export function showSwarmProgress<T>(
  client: SwarmflowClient,
  swarmId: string,
  waiting: Promise<T>,
): Promise<T> {
  return showProgress(waiting, async () => swarmProgressLine(await client.swarms.get(swarmId)));
}

export function swarmProgressLine(state: SwarmState): string {
  const done = state.subtasks.filter((subtask) => subtask.status === 'done').length;
  const credits = state.usage.credits.toFixed(4).replace(/\.?0+$/, '');
  return `${state.status} · ${done}/${state.subtasks.length} subtasks done · ${credits} credits · ${state.currentActivity || '-'}`;
}
