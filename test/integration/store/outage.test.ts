import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../activities/store/database.ts';
import { DatabaseUnavailableError } from '../../../activities/store/errors.ts';
import { loadConfig } from '../../../schema/config.ts';

/** A port nothing listens on: one the OS just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('a database that cannot be reached', () => {
  it('is a DatabaseUnavailableError naming host:port and what to check, never the password', async () => {
    const port = await closedPort();
    const config = { ...loadConfig({}), databaseUrl: `postgres://app:s3cret@127.0.0.1:${port}/swarmflow` };

    const error = await openDatabase(config).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    const { message, cause } = error as DatabaseUnavailableError;
    expect(message).toContain(`127.0.0.1:${port}`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('check that PostgreSQL runs there');
    expect(message).not.toContain('s3cret');
    expect(cause).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
