import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../client/api/server.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/**
 * examples/remote-client.ts, run as a reader of the README runs it (`npx tsx`), against an API
 * server in front of a test stack, with a key of a tenant of its own.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));

let stack: TestStack;
let server: ApiServer;
let apiKey: string;

beforeAll(async () => {
  stack = await startTestStack();
  const { keys } = await tenantWithKeys(stack, 'example', ['admin']);
  apiKey = keys.admin;
  server = await startTestApiServer(stack);
  await stack.startWorker();
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

const runExample = (env: Record<string, string>) =>
  promisify(execFile)('npx', ['tsx', 'examples/remote-client.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    timeout: 120_000,
  });

describe('examples/remote-client.ts', () => {
  it('registers the greeting, watches its run to the end, and shows the typed errors', async () => {
    const { stdout, stderr } = await runExample({ SWARMFLOW_URL: server.url, SWARMFLOW_API_KEY: apiKey });
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('routine greeting v1 (registered)');
    expect(lines[1]).toMatch(/^run \S+ started$/);
    const progress = lines.filter((line) => line.startsWith('progress: '));
    expect(progress.at(-1)).toBe('progress: completed · 3 steps done · at -');
    expect(lines).toContain('outcome: completed · shouted: HELLO, ADA!');
    expect(lines.find((line) => line.startsWith('validation error: '))).toMatch(/name/);
    expect(lines.at(-1)).toBe('unknown run: no-such-run');
  });

  it('says what to set when the URL or the key is missing', async () => {
    const failed = await runExample({ SWARMFLOW_URL: '', SWARMFLOW_API_KEY: '' }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('SWARMFLOW_URL') });
  });
});
