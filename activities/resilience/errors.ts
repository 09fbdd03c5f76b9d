/** A dependency's circuit is open: the call fails fast, and may be tried again after `retryAfterMs`. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  constructor(
    readonly dependency: string,
    readonly retryAfterMs: number,
  ) {
    super(`${dependency} is failing: its circuit is open, next try in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/** A tool policy forbids the call. Never retried. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

/** The deployment's configuration cannot serve the request (an unknown model or server...). Never retried. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** A dependency (an MCP server, a model endpoint) could not be reached or was lost mid-call. Retried. */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';
  constructor(
    readonly dependency: string,
    cause: unknown,
    detail = '',
  ) {
    super(
      `${dependency} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}${detail}`,
      {
        cause,
      },
    );
  }
}
