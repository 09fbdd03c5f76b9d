/**
 * Refusals of the API server's front door: no valid credentials, or too many requests. The
 * server answers them as 401 and 429; the remote SDK throws them again from the answer.
 */

/** A caller without valid credentials: a 401 that never says which part was wrong. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
  constructor() {
    super('authentication required: send "Authorization: Bearer <API key or OIDC token>"');
  }
}

/** A key's requests came faster than its rate limit. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`rate limit of ${limit} requests a minute reached: try again in ${retryAfterSeconds} s`);
  }
}
