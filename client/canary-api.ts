import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { Kysely } from 'kysely';
import { type Canary, RoutineStore } from '../activities/store/routine-store.ts';
import { CanaryVersionError } from '../activities/store/version-errors.ts';
import { canaryRules } from '../schema/canary-policy.ts';
import {
  type StartCanaryRequest as StartCanaryInput,
  StartCanaryRequest,
  type StartedCanary,
} from '../schema/canary-requests.ts';
import type { SwarmflowConfig } from '../schema/config.ts';
import type { Database } from '../schema/db/tables.ts';
import type { CanaryReport } from '../schema/improvement-cycle.ts';
import { RoutineId } from '../schema/routine.ts';
import { SearchAttributes } from '../schema/search-attributes.ts';
import { parseInput } from '../schema/validation.ts';
import type { canaryWorkflow } from '../workflows/canary-workflow.ts';
import { CanaryInProgressError, NoCanaryError } from './canary-errors.ts';

export { CanaryInProgressError, NoCanaryError };

/** The id of the workflow that watches a routine's canary release started by a person. */
export function canaryWorkflowId(tenantId: string, routineId: string): string {
  return `canary/${tenantId}/${routineId}`;
}

/**
 * Canary releases by hand: a share of a routine's new runs start a candidate version while a
 * workflow compares its live failures and scores with the active version's, then makes it active
 * or rolls it back (the same judgement an improvement cycle uses).
 */
export class CanaryApi {
  constructor(
    private readonly temporal: Client,
    private readonly db: Kysely<Database>,
    private readonly config: Pick<SwarmflowConfig, 'tenantId' | 'taskQueue'>,
  ) {}

  /**
   * Starts a canary release of a candidate or draft version, watched by `canary/<tenant>/<routine>`.
   * @throws ValidationError for a request that does not fit StartCanaryRequest.
   * @throws UnknownRoutineError / UnknownRoutineVersionError for a routine (version) that does not exist.
   * @throws CanaryVersionError when the version is active already, or retired.
   * @throws CanaryInProgressError when a canary of the routine is being watched already.
   */
  async start(request: StartCanaryInput): Promise<StartedCanary> {
    const { routineId, version, ...policy } = parseInput(StartCanaryRequest, request, 'canary release');
    const { tenantId } = this.config;
    const routines = new RoutineStore(this.db);
    const candidate = await routines.get(tenantId, routineId, version);
    if (candidate.status === 'active' || candidate.status === 'retired') {
      throw new CanaryVersionError(routineId, version, candidate.status);
    }
    const active = await routines.get(tenantId, routineId);
    const workflowId = canaryWorkflowId(tenantId, routineId);
    try {
      await this.temporal.workflow.start<typeof canaryWorkflow>('canaryWorkflow', {
        workflowId,
        taskQueue: this.config.taskQueue,
        args: [
          {
            tenantId,
            routineId,
            baselineVersion: active.version,
            candidateVersion: version,
            rules: canaryRules(policy),
          },
        ],
        typedSearchAttributes: [
          { key: SearchAttributes.tenant, value: tenantId },
          { key: SearchAttributes.routineId, value: routineId },
        ],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw new CanaryInProgressError(routineId);
      throw error;
    }
    return { workflowId, routineId, version, activeVersion: active.version, percent: policy.percent };
  }

  /** The routine's canary release going on (by hand or by an improvement cycle), or undefined. */
  current(routineId: string): Promise<Canary | undefined> {
    return new RoutineStore(this.db).canary(
      this.config.tenantId,
      parseInput(RoutineId, routineId, 'routine id'),
    );
  }

  /**
   * Ends the routine's canary release at once, keeping the active version; its watcher (a cycle or
   * `canary/<tenant>/<routine>`) notices at its next look and ends too.
   * @throws NoCanaryError when no canary of the routine goes on.
   */
  async end(routineId: string): Promise<Canary> {
    const canary = await this.current(routineId);
    const routines = new RoutineStore(this.db);
    if (!canary || !(await routines.endCanary(this.config.tenantId, canary.routineId, canary.version))) {
      throw new NoCanaryError(routineId);
    }
    return canary;
  }

  /**
   * Waits for the end of the canary release started by hand and returns how it went.
   * @throws NoCanaryError when no canary of the routine was started by hand.
   */
  async result(routineId: string): Promise<CanaryReport> {
    const id = parseInput(RoutineId, routineId, 'routine id');
    const handle = this.temporal.workflow.getHandle<typeof canaryWorkflow>(
      canaryWorkflowId(this.config.tenantId, id),
    );
    try {
      return await handle.result();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new NoCanaryError(id);
      if (error instanceof WorkflowFailedError) throw error.cause ?? error;
      throw error;
    }
  }
}
