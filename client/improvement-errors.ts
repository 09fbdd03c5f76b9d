/** A proposal id or cycle id the tenant has no proposal of. */
export class UnknownProposalError extends Error {
  override readonly name = 'UnknownProposalError';
  constructor(readonly proposal: string) {
    super(`no proposal or cycle "${proposal}" (list proposals with \`swarmflow improve proposals\`)`);
  }
}

/** A cycle refused a decision: nothing pending, already decided, or the decider is no approver. */
export class ProposalNotDecidedError extends Error {
  override readonly name = 'ProposalNotDecidedError';
  constructor(
    readonly proposal: string,
    readonly reason: string,
  ) {
    super(`proposal ${proposal} was not decided: ${reason}`);
  }
}

/** A cycle that did not end with a result (it failed, or was cancelled or terminated). */
export class ImprovementCycleFailedError extends Error {
  override readonly name = 'ImprovementCycleFailedError';
  constructor(
    readonly cycleId: string,
    reason: string,
  ) {
    super(`improvement cycle ${cycleId} failed: ${reason}`);
  }
}

/** A routine with no improvement schedule (never scheduled, or unscheduled). */
export class NoImprovementScheduleError extends Error {
  override readonly name = 'NoImprovementScheduleError';
  constructor(readonly routineId: string) {
    super(
      `routine "${routineId}" has no improvement schedule (create one with \`swarmflow improve schedule\`)`,
    );
  }
}
