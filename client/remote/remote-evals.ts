import {
  CompareEvalsRequest,
  type EvalComparison,
  type EvalDetails,
  EvalFilter,
  type EvalRunResult,
  type EvalSummary,
  StartEvalRequest,
} from '../../schema/eval-run.ts';
import { parseInput } from '../../schema/validation.ts';
import { EvalFailedError } from '../eval-errors.ts';
import type { ApiTransport } from './api-transport.ts';
import { refuseTenant } from './refuse-tenant.ts';
import type { EvalsOperations, StartedEval } from './swarmflow-api.ts';

/** How often `result` reads a running eval again. */
const pollIntervalMs = 500;

/** Eval runs over the REST API, as the direct SDK's `client.evals`. */
export class RemoteEvals implements EvalsOperations {
  constructor(private readonly transport: ApiTransport) {}

  /**
   * Starts an eval of a routine version (the latest by default) over the cases.
   * @throws ValidationError for a request that does not fit StartEvalRequest (or names a tenant).
   * @throws UnknownRoutineError / UnknownRoutineVersionError for a routine (version) that does not exist.
   */
  async start(request: StartEvalRequest): Promise<StartedEval> {
    const { tenantId, ...body } = parseInput(StartEvalRequest, request, 'eval request');
    refuseTenant({ tenantId }, 'eval request');
    return this.transport.call('startEval', { body });
  }

  /**
   * Reads the eval until it has ended, and returns its result.
   * @throws EvalFailedError when it did not complete; UnknownEvalError for an unknown id.
   */
  async result(evalId: string): Promise<EvalRunResult> {
    for (;;) {
      const details = await this.get(evalId);
      if (details.status === 'failed') {
        throw new EvalFailedError(
          evalId,
          details.error ?? { message: 'the eval failed', type: 'EvalFailed' },
        );
      }
      if (details.status === 'completed') return resultOf(details);
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
  }

  /** Starts an eval and waits for its result (see start and result for what they throw). */
  async run(request: StartEvalRequest): Promise<EvalRunResult> {
    return this.result((await this.start(request)).evalId);
  }

  async list(filter: EvalFilter = {}): Promise<EvalSummary[]> {
    const query = parseInput(EvalFilter, filter, 'eval filter');
    return (await this.transport.call('listEvals', { query })).evals;
  }

  /** @throws UnknownEvalError when the tenant has no eval of that id. */
  get(evalId: string): Promise<EvalDetails> {
    return this.transport.call('getEval', { params: { evalId } });
  }

  /** @throws NoEvalToCompareError when a version has no completed eval. */
  compare(request: CompareEvalsRequest): Promise<EvalComparison> {
    const query = parseInput(CompareEvalsRequest, request, 'compare request');
    return this.transport.call('compareEvals', { query });
  }
}

/** A completed eval's result, in the shape `eval run --json` prints. */
export function resultOf(details: EvalDetails): EvalRunResult {
  return {
    evalId: details.evalId,
    routineId: details.routineId,
    version: details.version,
    score: details.score ?? 0,
    cases: details.cases.map(({ input, output, expected, score, passed, reasons, error }) => ({
      input,
      output,
      expected,
      score,
      passed,
      reasons,
      ...(error === undefined ? {} : { error }),
    })),
    usage: details.usage ?? { inputTokens: 0, outputTokens: 0, toolCalls: 0, wallMs: 0, credits: 0 },
    latencyMs: { p50: details.latencyMs.p50 ?? 0, p95: details.latencyMs.p95 ?? 0 },
  };
}
