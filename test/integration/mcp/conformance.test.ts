import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../client/api/server.ts';
import { startTestApiServer } from '../../support/api-server.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/**
 * The scenarios of `@modelcontextprotocol/conformance` that apply to Swarmflow's server. The
 * others call the suite's own fixture tools, resources and prompts, or capabilities the server
 * does not offer (logging, completions, sampling, elicitation, resumable streams).
 * 0.1.13 is the last version that runs on Node 20 (later ones need fs.globSync, Node 22).
 */
const SCENARIOS = [
  'server-initialize',
  'ping',
  'tools-list',
  'server-sse-multiple-streams',
  'dns-rebinding-protection',
];

const conformance = fileURLToPath(
  new URL('../../../node_modules/@modelcontextprotocol/conformance/dist/index.js', import.meta.url),
);

let stack: TestStack;
let server: ApiServer;

beforeAll(async () => {
  stack = await startTestStack();
  server = await startTestApiServer(stack, { insecureLocal: true });
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

describe("the MCP conformance suite against the API server's /mcp (--insecure-local)", () => {
  it.each(SCENARIOS)('passes %s', async (scenario) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [conformance, 'server', '--url', `${server.url}/mcp`, '--scenario', scenario],
      { timeout: 60_000 },
    );
    expect(stdout).toMatch(/Passed: (\d+)\/\1, 0 failed/);
  });
});
