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

/** How long the live state of a parked run is asked for before the read model's word is taken. */
const stateQueryTimeoutMs = 3_000;
/** How deep a tree of sub-swarms is searched for a parked run. */
const maxSwarmDepth = 8;

/** How long to wait for a run or swarm. */
export interface AwaitOptions {
  /** Also end the wait when it parks on an incident or a budget, where only a person moves it on. */
  untilParked?: boolean;
  /** How often to look whether it parked; default 1 s. */
  pollIntervalMs?: number;
}

export const defaultParkingPollMs = 1_000;

export interface ParkingSources {
  temporal: Client;
  db: Kysely<Database>;
}

/**
 * Where a run waits for a person, or undefined while it moves or once it ended: parked on an
 * incident (the element and the error), or paused on a budget. The read model says whether it
 * is parked; the run itself, when a worker answers, says where.
 */
export async function findRunParking(sources: ParkingSources, runId: string): Promise<Parking | undefined> {
  const row = await getRun(sources.db, runId);
  if (row?.status !== 'incident' && row?.status !== 'paused') return undefined;
  const state = await liveRunState(sources.temporal, runId);
  if (row.status === 'incident') {
    const incident = state?.incident;
    return {
      kind: 'incident',
      runId,
      message: incident?.message ?? row.error ?? 'the run is parked on an incident',
      ...(incident ? { elementId: incident.elementId } : {}),
    };
  }
  const paused = state?.pausedOn;
  const message = paused
    ? `the run's ${paused.limit} budget is reached (used ${paused.used} of ${paused.max})`
    : (row.error ?? 'the run is paused on one of its budgets');
  return { kind: 'budget', runId, message };
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
    const parking =
      child.kind === 'run'
        ? await findRunParking(sources, child.id)
        : depth < maxSwarmDepth
          ? await findSwarmParking(sources, swarmState, child.id, depth + 1)
          : undefined;
    if (parking)
      return { ...parking, ...(child.subtaskId && !parking.subtaskId ? { subtaskId: child.subtaskId } : {}) };
  }
  return undefined;
}

/**
 * Resolves with the first parking `find` reports, asking every `intervalMs` until `signal`
 * aborts (then it never resolves). A failed look-up is tried again at the next tick.
 */
export async function awaitParking(
  find: () => Promise<Parking | undefined>,
  intervalMs: number,
  signal: AbortSignal,
): Promise<Parking> {
  while (!signal.aborted) {
    const parking = await find().catch(() => undefined);
    if (parking) return parking;
    await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
  }
  return new Promise<never>(() => {});
}

async function liveRunState(temporal: Client, runId: string): Promise<RunState | undefined> {
  const handle = temporal.workflow.getHandle(runWorkflowId(runId));
  const deadline = Date.now() + stateQueryTimeoutMs;
  return temporal.connection.withDeadline(deadline, () => handle.query(runStateQuery)).catch(() => undefined);
}
