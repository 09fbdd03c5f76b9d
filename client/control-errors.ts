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

/** A swarm refused an update (a message, pause, resume, stop, shared state edit or approval), saying why. */
export class SwarmUpdateRejectedError extends Error {
  override readonly name = 'SwarmUpdateRejectedError';
  constructor(
    readonly swarmId: string,
    /** What was asked, e.g. "pause". */
    readonly update: string,
    readonly reason: string,
  ) {
    super(`swarm ${swarmId} refused to ${update}: ${reason}`);
  }
}
