import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { classifyError, toActivityFailure } from '../../../activities/resilience/classify.ts';
import { isDatabaseConnectionError } from '../../../activities/resilience/database-errors.ts';
import { DatabaseUnavailableError } from '../../../activities/store/errors.ts';

/** An error as pg raises it for an ErrorResponse from the server. */
function serverError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

const socketError = (code: string) => Object.assign(new Error(`read ${code}`), { code });

describe('database connection errors', () => {
  it('are the server ending the session or refusing it, and what pg says when the connection goes', () => {
    const lost = [
      serverError('57P01', 'terminating connection due to administrator command'),
      serverError('57P02', 'terminating connection because of crash of another server process'),
      serverError('57P03', 'the database system is starting up'),
      serverError('08006', 'connection failure'),
      serverError('53300', 'sorry, too many clients already'),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout', { cause: new Error('timeout expired') }),
      new Error('timeout exceeded when trying to connect'),
      new Error('Client has encountered a connection error and is not queryable'),
      new DatabaseUnavailableError('127.0.0.1:5432', 'check it', { cause: socketError('ECONNREFUSED') }),
      new Error('insert failed', { cause: serverError('57P01', 'terminating connection') }),
    ];
    for (const error of lost)
      expect([error.message, isDatabaseConnectionError(error)]).toEqual([error.message, true]);
  });

  it('are not statements the database refused, nor a bare socket error any client may raise', () => {
    const others = [
      serverError('23505', 'duplicate key value violates unique constraint "runs_pkey"'),
      serverError('42P01', 'relation "nope" does not exist'),
      serverError('40001', 'could not serialize access due to concurrent update'),
      socketError('ECONNREFUSED'),
      new Error('Connection refused by policy'),
      'Connection terminated',
    ];
    for (const error of others)
      expect([String(error), isDatabaseConnectionError(error)]).toEqual([String(error), false]);
  });

  it('classify as a retryable DatabaseUnavailable, and so become a retryable activity failure', () => {
    const terminated = serverError('57P01', 'terminating connection due to administrator command');
    expect(classifyError(terminated)).toEqual({ retryable: true, type: 'DatabaseUnavailable' });
    expect(classifyError(new Error('Connection terminated unexpectedly'))).toEqual({
      retryable: true,
      type: 'DatabaseUnavailable',
    });
    const failure = toActivityFailure(terminated);
    expect(failure).toMatchObject({ type: 'DatabaseUnavailable', nonRetryable: false });
    expect(classifyError(serverError('23505', 'duplicate key')).type).not.toBe('DatabaseUnavailable');
  });
});
