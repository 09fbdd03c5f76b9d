import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeploymentConfig } from '../../../activities/config/load-deployment-config.ts';
import { McpPool } from '../../../activities/mcp/mcp-pool.ts';
import {
  checkToolsFor,
  keyForProviderName,
  normaliseTools,
  type ProviderTarget,
  providerSchemaProblems,
} from '../../../activities/models/tool-schemas/index.ts';
import type { McpToolDescriptor } from '../../../schema/tools.ts';
import { referenceServers } from './support/mcp-servers.ts';

/**
 * Every tool of the three reference MCP servers (their installed bins, over stdio, as the pool
 * connects to them), normalised for every provider target: none breaks a provider rule.
 */

const SERVERS = ['everything', 'memory', 'filesystem'] as const;
const TARGETS: ProviderTarget[] = [
  { provider: 'openai', strict: true },
  { provider: 'openai' },
  { provider: 'anthropic' },
];

let folder: string;
let pool: McpPool;
const tools = new Map<string, McpToolDescriptor[]>();

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-tool-schemas-'));
  const config = parseDeploymentConfig({ mcpServers: referenceServers(folder) }, folder);
  pool = new McpPool(config.mcpServers);
  await Promise.all(SERVERS.map(async (server) => tools.set(server, await pool.listTools(server))));
}, 30_000);

afterAll(async () => {
  await pool?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('the reference MCP servers’ tools', () => {
  it('are listed by all three servers', () => {
    expect(Object.fromEntries(SERVERS.map((server) => [server, tools.get(server)?.length ?? 0]))).toEqual({
      everything: expect.any(Number),
      memory: expect.any(Number),
      filesystem: expect.any(Number),
    });
    for (const server of SERVERS) expect(tools.get(server)?.length, server).toBeGreaterThan(5);
  });

  it.each(TARGETS.map((target) => [`${target.provider}${target.strict ? ' strict' : ''}`, target] as const))(
    'all normalise for %s with no provider-rule problem and no ToolSchemaError',
    (_, target) => {
      const all = SERVERS.flatMap((server) => tools.get(server) ?? []);
      expect(checkToolsFor(target, all)).toEqual([]);
      const normalised = normaliseTools(all, target);
      for (const tool of normalised) {
        expect(providerSchemaProblems({ ...target, strict: tool.strict }, tool.parameters), tool.key).toEqual(
          [],
        );
        expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
        expect(keyForProviderName(normalised, tool.name)).toBe(tool.key);
      }
      // Every tool of these servers is a plain object of typed properties: all can be strict.
      const strictCounts = Object.fromEntries(
        SERVERS.map((server) => [
          server,
          normalised.filter((tool) => tool.key.startsWith(`${server}__`) && tool.strict).length,
        ]),
      );
      expect(strictCounts).toEqual(
        Object.fromEntries(
          SERVERS.map((server) => [
            server,
            target.strict && target.provider === 'openai' ? tools.get(server)?.length : 0,
          ]),
        ),
      );
    },
  );
});
