/**
 * Errors only the remote SDK throws. Every error the API server names is thrown as the SDK's own
 * class (ValidationError, UnknownRunError, PermissionDeniedError…); these cover the rest.
 */

/**
 * An error answer the SDK has no class for (the server's `InternalError`, `BadRequest`,
 * `DatabaseUnavailableError`…), or an answer that is not the API's: its type, HTTP status and
 * message as the server sent them.
 */
export class RemoteApiError extends Error {
  override readonly name = 'RemoteApiError';
  constructor(
    /** The server's error type, e.g. InternalError; `InvalidResponse` when the answer was not the API's. */
    readonly type: string,
    readonly status: number,
    message: string,
    /** The request's id in the server's log and audit trail, when it sent one. */
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** The API server could not be reached, or did not answer in time. */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
  constructor(
    /** The server's base URL, as the client was given it. */
    readonly url: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      `cannot reach the Swarmflow API at ${url} (${reason}): check the URL (--url or SWARMFLOW_URL) and that \`swarmflow serve\` runs there`,
      options,
    );
  }
}
