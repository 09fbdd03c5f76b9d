/** A run id that Temporal does not know. */
export class UnknownRunError extends Error {
  override readonly name = 'UnknownRunError';
  constructor(readonly runId: string) {
    super(`no run "${runId}": list runs with \`swarmflow runs list\``);
  }
}

/** A swarm id that neither Temporal nor the read model knows. */
export class UnknownSwarmError extends Error {
  override readonly name = 'UnknownSwarmError';
  constructor(readonly swarmId: string) {
    super(`no swarm "${swarmId}": list swarms with \`swarmflow swarm list\``);
  }
}

/** An agent id the tenant's catalog does not have. */
export class UnknownAgentError extends Error {
  override readonly name = 'UnknownAgentError';
  constructor(
    readonly agentId: string,
    /** Catalog ids that look like `agentId`, closest first. */
    readonly suggestions: readonly string[],
  ) {
    const didYouMean =
      suggestions.length > 0 ? `; did you mean ${suggestions.map((id) => `"${id}"`).join(', ')}?` : '';
    super(`no agent "${agentId}" in the catalog${didYouMean}`);
  }
}
