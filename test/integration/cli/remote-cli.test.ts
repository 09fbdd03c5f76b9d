import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../client/api/server.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { bpmnProcess, flows, scriptTask } from '../../support/bpmn.ts';
import { runCli } from '../../support/cli.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/**
 * The CLI in remote mode: every command goes to a test API server with an API key. Temporal and
 * PostgreSQL are pointed at closed ports, so a command that went direct would fail.
 */

let stack: TestStack;
let server: ApiServer;
let keys: Record<'admin' | 'viewer', string>;
let home: string;
let routineFile: string;

const badKey = 'sfk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

beforeAll(async () => {
  stack = await startTestStack();
  ({ keys } = await tenantWithKeys(stack, 'remote-cli', ['admin', 'viewer']));
  server = await startTestApiServer(stack);
  await stack.startWorker();
  home = await mkdtemp(join(tmpdir(), 'swarmflow-remote-cli-'));
  routineFile = join(home, 'tripling.bpmn');
  await writeFile(
    routineFile,
    bpmnProcess(
      `<bpmn:startEvent id="start" />${scriptTask('triple', 'amount * 3', 'tripled')}<bpmn:endEvent id="end" />
       ${flows(['start', 'triple'], ['triple', 'end'])}`,
      'tripling',
    ),
  );
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** No way to Temporal or PostgreSQL: only the API server. */
const offline = () => ({
  SWARMFLOW_HOME: home,
  TEMPORAL_ADDRESS: '127.0.0.1:1',
  DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing',
  SWARMFLOW_URL: '',
  SWARMFLOW_API_KEY: '',
});
const remoteEnv = (apiKey = keys.admin) => ({
  ...offline(),
  SWARMFLOW_URL: server.url,
  SWARMFLOW_API_KEY: apiKey,
});

describe('the CLI with --url and --api-key', () => {
  it('registers a routine, runs it to its outputs and lists the run, through the API only', async () => {
    const registered = await runCli(['routine', 'register', routineFile], remoteEnv());
    expect(registered).toMatchObject({ code: 0, stdout: 'registered tripling version 1\n' });

    const run = await runCli(['run', 'tripling', '--input', '{"amount": 4}', '--json'], remoteEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const outcome = JSON.parse(run.stdout);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { amount: 4, tripled: 12 } });

    // The flags instead of the variables.
    const listed = await runCli(
      ['--url', server.url, '--api-key', keys.admin, 'runs', 'list', '--routine', 'tripling', '--json'],
      offline(),
    );
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ runId: outcome.runId, routineId: 'tripling', status: 'completed' }),
    ]);
    const table = await runCli(['runs', 'list'], remoteEnv());
    expect(table.stdout).toMatch(new RegExp(`${outcome.runId}\\s+tripling@1\\s+completed`));
  });

  it('manages keys and reads the audit log of its own tenant', async () => {
    const created = await runCli(
      ['keys', 'create', '--role', 'viewer', '--name', 'ci', '--json'],
      remoteEnv(),
    );
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.stdout);
    expect((await runCli(['keys', 'list'], remoteEnv())).stdout).toContain(id);
    expect(await runCli(['keys', 'revoke', id], remoteEnv())).toMatchObject({ code: 0 });
    const audit = await runCli(['audit', 'list', '--action', 'keys.*', '--json'], remoteEnv());
    const actions = JSON.parse(audit.stdout).entries.map((entry: { action: string }) => entry.action);
    expect(actions.slice(0, 2)).toEqual(['keys.revoke', 'keys.create']);

    const withTenant = await runCli(['keys', 'list', '--tenant', 'other'], remoteEnv());
    expect(withTenant.code).not.toBe(0);
    expect(withTenant.stderr).toMatch(/--tenant: with --url/);
  });

  it('fails clearly on a bad key, without printing it', async () => {
    const result = await runCli(['runs', 'list'], remoteEnv(badKey));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^error: authentication required/);
    expect(result.stderr).toMatch(/refused the API key: check --api-key or SWARMFLOW_API_KEY/);
    expect(result.stdout + result.stderr).not.toContain(badKey);
  });

  it("names the permission a key's role lacks", async () => {
    const result = await runCli(['routine', 'register', routineFile], remoteEnv(keys.viewer));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/permission routines:write denied/);
  });

  it('refuses a URL without a key, or a key without a URL, naming the fix', async () => {
    const noKey = await runCli(['runs', 'list'], { ...offline(), SWARMFLOW_URL: server.url });
    expect(noKey.code).not.toBe(0);
    expect(noKey.stderr).toMatch(/needs an API key: add --api-key <key> or set SWARMFLOW_API_KEY/);

    const noUrl = await runCli(['--api-key', keys.admin, 'runs', 'list'], offline());
    expect(noUrl.code).not.toBe(0);
    expect(noUrl.stderr).toMatch(/--api-key \(or SWARMFLOW_API_KEY\) is given without --url/);
    expect(noUrl.stderr).not.toContain(keys.admin);
  });

  it('names the URL when nothing answers there', async () => {
    const result = await runCli(['runs', 'list'], { ...remoteEnv(), SWARMFLOW_URL: 'http://127.0.0.1:9' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/cannot reach the Swarmflow API at http:\/\/127.0.0.1:9/);
  });
});
