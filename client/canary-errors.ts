/** A canary release of a routine whose canary is watched already. */
export class CanaryInProgressError extends Error {
  override readonly name = 'CanaryInProgressError';
  constructor(readonly routineId: string) {
    super(
      `a canary release of routine "${routineId}" is being watched already; wait for it (swarmflow routine canary ${routineId} --wait) or end it (swarmflow routine canary ${routineId} --end)`,
    );
  }
}

/** Ending or awaiting a canary release of a routine that has none. */
export class NoCanaryError extends Error {
  override readonly name = 'NoCanaryError';
  constructor(readonly routineId: string) {
    super(
      `routine "${routineId}" has no canary release going on; start one with swarmflow routine canary ${routineId} <version> --percent <1-99>`,
    );
  }
}
