import type { OutcomeError } from '../schema/outcome-error.ts';

/** An eval id that the tenant has no eval of. */
export class UnknownEvalError extends Error {
  override readonly name = 'UnknownEvalError';
  constructor(readonly evalId: string) {
    super(`no eval "${evalId}": list evals with \`swarmflow eval list\``);
  }
}

/** An eval that did not complete; `error` says why in the shape every --json output uses. */
export class EvalFailedError extends Error {
  override readonly name = 'EvalFailedError';
  constructor(
    readonly evalId: string,
    readonly error: OutcomeError,
  ) {
    super(`eval ${evalId} failed: ${error.message}`);
  }
}

/** No completed eval to compare for a version. */
export class NoEvalToCompareError extends Error {
  override readonly name = 'NoEvalToCompareError';
  constructor(routineId: string, version: number, datasetId: string | undefined) {
    const on = datasetId === undefined ? '' : ` on dataset ${datasetId}`;
    super(
      `routine ${routineId} version ${version} has no completed eval${on}: run one with \`swarmflow eval run ${routineId}@${version} --dataset ...\``,
    );
  }
}
