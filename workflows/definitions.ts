import { defineQuery } from '@temporalio/workflow';
import type { RunState } from '../schema/run.ts';

export const runStateQuery = defineQuery<RunState>('state');

/** The failure type a run throws; its first detail is the RunOutcome at the moment it ended. */
export const RUN_FAILED = 'SwarmflowRunFailed';
