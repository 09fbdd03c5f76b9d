import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { runWorkflowId } from '../activities/runs/run-start.ts';
import { getRun } from '../activities/store/run-read-model.ts';
import type { Database } from '../schema/db/tables.ts';
import type { Parking } from '../schema/outcome-error.ts';
import type { RunState } from '../schema/run.ts';
import type { SwarmState } from '../schema/swarm.ts';
import { runStateQuery } from '../workflows/definitions.ts';
import type { AwaitOptions } from './remote/swarmflow-api.ts';

/** How long the live state of a parked run is asked for before the read model's word is taken. */
const stateQueryTimeoutMs = 3_000;
/** How deep a tree of sub-swarms is searched for a parked run. */
const maxSwarmDepth = 8;

export type { AwaitOptions };

const defaultParkingPollMs = 1_000;

export interface ParkingSources {
  temporal: Client;
  db: Kysely<Database>;
}

/** A parked run: where it waits, and its live state when a worker answered the query. */
export interface ParkedRun {
  parking: Parking;
  state?: RunState;
}

/**
 * Where a run waits for a person, or undefined while it moves or once it ended: parked on an
 * incident (the element and the error), or paused on a budget. The read model says whether it
 * is parked; the run itself, when a worker answers, says where.
 */
export async function findParkedRun(sources: ParkingSources, runId: string): Promise<ParkedRun | undefined> {
  const row = await getRun(sources.db, runId);
  if (row?.status !== 'incident' && row?.status !== 'paused') return undefined;
  const state = await liveRunState(sources.temporal, runId);
  const live = state === undefined ? {} : { state };
  if (row.status === 'incident') {
    const incident = state?.incident;
    const parking: Parking = {
      kind: 'incident',
      runId,
      message: incident?.message ?? row.error ?? 'the run is parked on an incident',
      ...(incident ? { elementId: incident.elementId } : {}),
    };
    return { parking, ...live };
  }
  const paused = state?.pausedOn;
  const message = paused
    ? `the run's ${paused.limit} budget is reached (used ${paused.used} of ${paused.max})`
    : (row.error ?? 'the run is paused on one of its budgets');
  return { parking: { kind: 'budget', runId, message }, ...live };
}

/**
 * Where a swarm waits for a person: paused on one of its limits, or one of its child runs (in
 * it or in a sub-swarm) parked. `swarmState` reads a swarm's state.
 */
export async function findSwarmParking(
  sources: ParkingSources,
  swarmState: (swarmId: string) => Promise<SwarmState>,
  swarmId: string,
  depth = 0,
): Promise<Parking | undefined> {
  const state = await swarmState(swarmId);
  if (state.status === 'paused' && state.pausedOnLimit) {
    return {
      kind: 'budget',
      swarmId,
      message: state.statusReason ?? 'the swarm is paused on one of its limits',
    };
  }
  for (const child of state.children) {
    if (child.status !== 'running') continue;
    // An improvement cycle that waits for a person has already ended its subtask: it parks no swarm.
    if (child.kind === 'improvement') continue;
    const parking =
      child.kind === 'run'
        ? (await findParkedRun(sources, child.id))?.parking
        : depth < maxSwarmDepth
          ? await findSwarmParking(sources, swarmState, child.id, depth + 1)
          : undefined;
    if (parking)
      return { ...parking, ...(child.subtaskId && !parking.subtaskId ? { subtaskId: child.subtaskId } : {}) };
  }
  return undefined;
}

/**
 * The end of a run or swarm (`end`, a long poll on Temporal), or, with `untilParked`, what
 * `parked` makes of the first parking `find` reports, whichever comes first; `find` is asked
 * every `pollIntervalMs` (a failed look-up is tried again) and the loser is cancelled.
 */
export async function endOrParking<T, P>(
  temporal: Client,
  options: AwaitOptions,
  end: () => Promise<T>,
  find: () => Promise<P | undefined>,
  parked: (parking: P) => Promise<T>,
): Promise<T> {
  if (!options.untilParked) return end();
  const stopWatching = new AbortController();
  const { signal } = stopWatching;
  const watch = async (): Promise<T> => {
    while (!signal.aborted) {
      const parking = await find().catch(() => undefined);
      if (parking !== undefined) return parked(parking);
      await sleep(options.pollIntervalMs ?? defaultParkingPollMs, undefined, { signal }).catch(
        () => undefined,
      );
    }
    return new Promise<never>(() => {});
  };
  try {
    return await Promise.race([temporal.connection.withAbortSignal(signal, end), watch()]);
  } finally {
    stopWatching.abort();
  }
}

async function liveRunState(temporal: Client, runId: string): Promise<RunState | undefined> {
  const handle = temporal.workflow.getHandle(runWorkflowId(runId));
  const deadline = Date.now() + stateQueryTimeoutMs;
  return temporal.connection.withDeadline(deadline, () => handle.query(runStateQuery)).catch(() => undefined);
}
