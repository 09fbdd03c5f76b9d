/** A run id that Temporal does not know. */
export class UnknownRunError extends Error {
  override readonly name = 'UnknownRunError';
  constructor(readonly runId: string) {
    super(`no run "${runId}": list runs with \`swarmflow runs list\``);
  }
}
