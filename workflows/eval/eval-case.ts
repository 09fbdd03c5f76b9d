import { CancellationScope, isCancellation, patched, sleep, startChild } from '@temporalio/workflow';
import type { ScoredCase } from '../../activities/evaluation/contract.ts';
import type { EvalCaseRecord, EvalWorkflowInput } from '../../schema/eval-run.ts';
import type { EvalCase } from '../../schema/evaluation.ts';
import type { OutcomeError } from '../../schema/outcome-error.ts';
import type { RunOutcome, RunWorkflowInput } from '../../schema/run.ts';
import { runSearchAttributes } from '../../schema/search-attributes.ts';
import { addUsage, NO_USAGE } from '../../schema/usage.ts';
import { failedRunOutcome, rootFailure } from '../failures.ts';
import type { runWorkflow } from '../run-workflow.ts';
import { evalBookkeeping, scoring } from './activities.ts';

/** The run id of an eval's case `ordinal` (1-based): `<eval id>:case-<n>`, its workflow `run/<eval id>:case-<n>`. */
export function evalCaseRunId(evalId: string, ordinal: number): string {
  return `${evalId}:case-${ordinal}`;
}

/**
 * Runs one case as a real child run (durable, budgeted as the routine says, except that reaching a
 * budget fails it instead of pausing: nobody raises budgets in an eval), scores what it produced,
 * and records the case. A run that does not complete scores 0, its failure the case's `error`.
 * Latency is workflow time from the child's start to its end: deterministic on replay.
 */
export async function runEvalCase(
  eval_: EvalWorkflowInput,
  base: RunWorkflowInput,
  evalCase: EvalCase,
  ordinal: number,
): Promise<EvalCaseRecord> {
  const runId = evalCaseRunId(eval_.evalId, ordinal);
  const input: RunWorkflowInput = {
    ...base,
    runId,
    variables: evalCase.input,
    limits: { ...base.limits, onLimit: 'fail' },
    // Marks it as an eval's run: it is scored here, never sampled for live scoring.
    evalId: eval_.evalId,
    evalTools: {
      policy: eval_.toolPolicy,
      ...(evalCase.sourceRunId === undefined ? {} : { sourceRunId: evalCase.sourceRunId }),
    },
  };
  const started = Date.now();
  const ran = await runChild(input, runId, eval_.caseTimeoutMs);
  const latencyMs = Math.max(0, Date.now() - started);
  const common = {
    evalId: eval_.evalId,
    tenantId: eval_.tenantId,
    ordinal,
    runId,
    latencyMs,
    input: evalCase.input,
    expected: evalCase.expected ?? null,
  };
  const runUsage = ran.outcome?.usage ?? NO_USAGE;
  let record: EvalCaseRecord;
  if (ran.error !== undefined || ran.outcome?.status !== 'completed') {
    const error = ran.error ?? { message: `the run ended ${ran.outcome?.status}`, type: 'RunFailed', runId };
    record = { ...common, output: null, score: 0, passed: false, reasons: [], error, usage: runUsage };
  } else {
    const output = ran.outcome.outputs;
    const scored = await score(eval_, evalCase, runId, output);
    if ('error' in scored) {
      record = {
        ...common,
        output,
        score: 0,
        passed: false,
        reasons: [],
        error: scored.error,
        usage: runUsage,
      };
    } else {
      const { score: value, passed, reasons, usage } = scored;
      record = { ...common, output, score: value, passed, reasons, usage: addUsage(runUsage, usage) };
    }
  }
  await evalBookkeeping.recordEvalCase(record);
  return record;
}

interface ChildRun {
  outcome?: RunOutcome;
  error?: OutcomeError;
}

/**
 * Runs the case's child run to its end. With a timeout, a run not ended by then is cancelled (its
 * user tasks withdrawn, as any cancelled run's) and the case fails with `CaseTimedOut`.
 */
async function runChild(input: RunWorkflowInput, runId: string, timeoutMs?: number): Promise<ChildRun> {
  try {
    const child = new CancellationScope();
    const handle = await child.run(() =>
      startChild<typeof runWorkflow>('runWorkflow', {
        workflowId: `run/${runId}`,
        args: [input],
        typedSearchAttributes: runSearchAttributes(input.routine),
      }),
    );
    if (timeoutMs === undefined || !patched('eval-case-timeout')) return { outcome: await handle.result() };
    const timer = new CancellationScope();
    const ended = await Promise.race([
      handle.result().then((outcome) => ({ outcome })),
      timer.run(() => sleep(timeoutMs)).then(() => undefined),
    ]);
    if (ended !== undefined) {
      timer.cancel();
      return ended;
    }
    child.cancel();
    await handle.result().catch(() => undefined);
    return {
      error: {
        message: `the case's run had not ended after ${timeoutMs} ms, so it was cancelled (is it waiting at a user task, a timer or a message?)`,
        type: 'CaseTimedOut',
        runId,
        hint: 'give the eval a longer --case-timeout, or evaluate a routine whose runs end on their own',
      },
    };
  } catch (error) {
    if (isCancellation(error)) throw error;
    const outcome = failedRunOutcome(error);
    const { message, hint } = rootFailure(error);
    return {
      ...(outcome === undefined ? {} : { outcome }),
      error: { message: outcome?.error ?? message, type: 'RunFailed', runId, ...(hint ? { hint } : {}) },
    };
  }
}

async function score(
  eval_: EvalWorkflowInput,
  evalCase: EvalCase,
  runId: string,
  output: RunOutcome['outputs'],
): Promise<ScoredCase | { error: OutcomeError }> {
  let scored: ScoredCase | null;
  try {
    scored = await scoring.scoreCase({
      tenantId: eval_.tenantId,
      routineId: eval_.routineId,
      version: eval_.version,
      runId,
      input: evalCase.input,
      output,
      ...(evalCase.expected === undefined ? {} : { expected: evalCase.expected }),
      mode: 'eval',
    });
  } catch (error) {
    if (isCancellation(error)) throw error;
    const { message, type } = rootFailure(error);
    return { error: { message: `scoring failed: ${message}`, type, runId } };
  }
  if (scored) return scored;
  return {
    error: {
      message:
        'nothing to score the case by: it has no expected output and the routine version no evaluation section',
      type: 'Unscored',
      hint: 'give the case an "expected" output, or the routine an evaluation section',
    },
  };
}
