import { randomUUID } from 'node:crypto';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import {
  getEval,
  latestCompletedEval,
  listEvals,
  recordEvalEnded,
  recordEvalStarted,
} from '../activities/store/eval-store.ts';
import { RoutineStore } from '../activities/store/routine-store.ts';
import type { SwarmflowConfig } from '../schema/config.ts';
import type { Database } from '../schema/db/tables.ts';
import { compareEvals } from '../schema/eval-comparison.ts';
import {
  CompareEvalsRequest,
  type CompareEvalsRequest as CompareEvalsRequestInput,
  EVAL_FAILED,
  type EvalComparison,
  type EvalDetails,
  type EvalFilter,
  type EvalRunResult,
  type EvalSummary,
  type EvalWorkflowInput,
  type EvalWorkflowResult,
  StartEvalRequest,
} from '../schema/eval-run.ts';
import type { OutcomeError } from '../schema/outcome-error.ts';
import { SearchAttributes } from '../schema/search-attributes.ts';
import { parseInput, ValidationError } from '../schema/validation.ts';
import type { evalWorkflow } from '../workflows/eval-workflow.ts';
import { EvalFailedError, NoEvalToCompareError, UnknownEvalError } from './eval-errors.ts';
import type { EvalsOperations, StartedEval } from './remote/swarmflow-api.ts';
import { TenantGuard } from './tenant-guard.ts';

export type { StartedEval };
export { EvalFailedError, NoEvalToCompareError, UnknownEvalError };

export function evalWorkflowId(evalId: string): string {
  return `eval/${evalId}`;
}

/** Eval runs: run a routine version over a dataset's cases, read the stored results, compare versions. */
export class EvalsApi implements EvalsOperations {
  constructor(
    private readonly temporal: Client,
    private readonly db: Kysely<Database>,
    private readonly config: Pick<SwarmflowConfig, 'tenantId' | 'taskQueue'>,
    private readonly guard: TenantGuard = new TenantGuard(undefined),
  ) {}

  /**
   * Starts an eval of a routine version (the latest by default) over the cases.
   * @throws ValidationError for a request that does not fit StartEvalRequest, naming the field,
   *   or for cases without an expected output when the routine version has no evaluation section.
   * @throws UnknownRoutineError / UnknownRoutineVersionError for a routine (version) that does not exist.
   */
  async start(request: StartEvalRequest): Promise<StartedEval> {
    const parsed = parseInput(StartEvalRequest, request, 'eval request');
    const tenantId = this.guard.tenantFor(parsed.tenantId, this.config.tenantId);
    const routine = await new RoutineStore(this.db).get(tenantId, parsed.routineId, parsed.version);
    await this.assertScorable(tenantId, routine.id, routine.version, parsed.cases);
    const evalId = parsed.evalId ?? `eval-${randomUUID()}`;
    const input: EvalWorkflowInput = {
      evalId,
      tenantId,
      routineId: routine.id,
      version: routine.version,
      cases: parsed.cases,
      toolPolicy: parsed.toolPolicy,
      concurrency: parsed.concurrency,
      caseTimeoutMs: parsed.caseTimeoutMs,
      ...(parsed.dataset === undefined ? {} : { dataset: parsed.dataset }),
    };
    // Recorded before the workflow starts, so that the eval can be read (and polled) at once.
    await recordEvalStarted(this.db, { ...input, caseCount: input.cases.length });
    const handle = await this.temporal.workflow
      .start<typeof evalWorkflow>('evalWorkflow', {
        workflowId: evalWorkflowId(evalId),
        taskQueue: this.config.taskQueue,
        args: [input],
        typedSearchAttributes: [
          { key: SearchAttributes.tenant, value: tenantId },
          { key: SearchAttributes.routineId, value: routine.id },
          { key: SearchAttributes.routineVersion, value: routine.version },
        ],
      })
      .catch(async (error: unknown) => {
        if (error instanceof WorkflowExecutionAlreadyStartedError) throw error;
        const message = `the eval could not start: ${(error as Error).message}`;
        await recordEvalEnded(this.db, {
          evalId,
          tenantId,
          status: 'failed',
          error: { message, type: 'Failed' },
        });
        throw error;
      });
    return { evalId, workflowId: handle.workflowId, routineId: routine.id, version: routine.version };
  }

  /**
   * Waits for the eval's end and returns its result.
   * @throws EvalFailedError when it did not complete, with the error object --json prints.
   * @throws UnknownEvalError when Temporal knows no such eval of the tenant.
   */
  async result(evalId: string): Promise<EvalRunResult> {
    const handle = this.temporal.workflow.getHandle<typeof evalWorkflow>(evalWorkflowId(evalId));
    await this.guard.admit(handle, () => new UnknownEvalError(evalId));
    let summary: EvalWorkflowResult;
    try {
      summary = await handle.result();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new UnknownEvalError(evalId);
      if (error instanceof WorkflowFailedError) throw new EvalFailedError(evalId, evalFailure(error));
      throw error;
    }
    const { passedCount: _passed, caseCount: _count, ...result } = summary;
    const stored = await this.get(evalId);
    const cases = stored.cases.map(({ input, output, expected, score, passed, reasons, error }) => ({
      input,
      output,
      expected,
      score,
      passed,
      reasons,
      ...(error === undefined ? {} : { error }),
    }));
    return { ...result, cases };
  }

  /** Starts an eval and waits for its result (see start and result for what they throw). */
  async run(request: StartEvalRequest): Promise<EvalRunResult & { evalId: string }> {
    const { evalId } = await this.start(request);
    return this.result(evalId);
  }

  /** The tenant's stored evals, newest first. */
  list(filter: EvalFilter = {}): Promise<EvalSummary[]> {
    return listEvals(this.db, this.config.tenantId, filter);
  }

  /**
   * A stored eval with its cases (those recorded so far, while it runs).
   * @throws UnknownEvalError when the tenant has no eval of that id.
   */
  async get(evalId: string): Promise<EvalDetails> {
    const found = await getEval(this.db, this.config.tenantId, evalId);
    if (!found) throw new UnknownEvalError(evalId);
    return found;
  }

  /**
   * B's mean score minus A's, from the latest completed eval of each version (on the dataset, when
   * given), with a 95% confidence interval: paired t over the cases both ran (by input) when they
   * ran the same cases, else Welch's t.
   * @throws ValidationError for a request that does not fit CompareEvalsRequest.
   * @throws NoEvalToCompareError when a version has no completed eval.
   */
  async compare(request: CompareEvalsRequestInput): Promise<EvalComparison> {
    const parsed = parseInput(CompareEvalsRequest, request, 'compare request');
    const details = async (version: number) => {
      const latest = await latestCompletedEval(
        this.db,
        this.config.tenantId,
        parsed.routineId,
        version,
        parsed.datasetId,
      );
      if (!latest) throw new NoEvalToCompareError(parsed.routineId, version, parsed.datasetId);
      return this.get(latest.evalId);
    };
    const [a, b] = [await details(parsed.versionA), await details(parsed.versionB)];
    return compareEvals(parsed.routineId, a, b);
  }

  /** Refuses cases nothing could score: no expected output while the routine version has no evaluation section. */
  private async assertScorable(
    tenantId: string,
    routineId: string,
    version: number,
    cases: { expected?: unknown }[],
  ): Promise<void> {
    const row = await this.db
      .selectFrom('routine_versions')
      .select('evaluation')
      .where('tenant_id', '=', tenantId)
      .where('routine_id', '=', routineId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (row?.evaluation !== null && row?.evaluation !== undefined) return;
    const unscorable = cases.flatMap((evalCase, index) =>
      evalCase.expected === undefined ? [index + 1] : [],
    );
    if (unscorable.length === 0) return;
    throw new ValidationError('eval cases', [
      `case ${unscorable.slice(0, 10).join(', ')}${unscorable.length > 10 ? ', ...' : ''}: no "expected" output, and routine ${routineId} version ${version} has no evaluation section to score it by; give each case an expected output, or the routine an evaluation section`,
    ]);
  }
}

/** The error object of a failed eval workflow: what the workflow put in its failure's details. */
function evalFailure(error: WorkflowFailedError): OutcomeError {
  const cause = error.cause;
  if (cause instanceof ApplicationFailure && cause.type === EVAL_FAILED) {
    const detail = cause.details?.[0] as OutcomeError | undefined;
    if (detail) return detail;
  }
  return { message: cause?.message ?? error.message, type: 'EvalFailed' };
}
