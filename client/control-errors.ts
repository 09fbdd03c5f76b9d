/** A run refused a decision on a tool call: it does not wait for approval there, or was already decided. */
export class ApprovalNotDecidedError extends Error {
  override readonly name = 'ApprovalNotDecidedError';
  constructor(
    readonly runId: string,
    readonly callId: string,
    readonly reason: string,
  ) {
    super(`run ${runId} cannot decide tool call ${callId}: ${reason}`);
  }
}

/** A run refused new budgets: it is not paused, or the limits would still stop it. */
export class RunNotResumedError extends Error {
  override readonly name = 'RunNotResumedError';
  constructor(
    readonly runId: string,
    readonly reason: string,
  ) {
    super(`run ${runId} cannot resume: ${reason}`);
  }
}
