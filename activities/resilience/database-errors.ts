import { causeChain } from './network-errors.ts';

/**
 * SQLSTATEs that mean the session is gone or could not start, not that a statement is wrong:
 * class 08 (connection exception), 57P01-57P03 (the server was shut down, crashed, or is still
 * starting; pg_terminate_backend sends 57P01), 53300 (too many connections).
 */
const CONNECTION_SQLSTATES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** What `pg` and `pg-pool` say, without a code, when a connection is lost, refused or cannot be made in time. */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'timeout expired',
];

/**
 * True when `error` (or one of its causes) is PostgreSQL or `pg` saying that the connection was
 * lost, refused or never made: a retry on a new connection may succeed once the database is back.
 * A statement the database refused (a constraint, a syntax error) is not one. A bare socket error
 * (ECONNREFUSED) is not one either, since any client may raise it: see isNetworkError.
 */
export function isDatabaseConnectionError(error: unknown): boolean {
  return causeChain(error).some((link) => {
    const { code, message, name } = link as { code?: unknown; message?: unknown; name?: unknown };
    if (name === 'DatabaseUnavailableError') return true;
    if (typeof code === 'string' && CONNECTION_SQLSTATES.has(code)) return true;
    return typeof message === 'string' && CONNECTION_MESSAGES.some((known) => message.startsWith(known));
  });
}
