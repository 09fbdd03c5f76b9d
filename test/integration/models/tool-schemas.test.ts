import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeploymentConfig } from '../../../activities/config/load-deployment-config.ts';
import { McpPool } from '../../../activities/mcp/mcp-pool.ts';
import { ModelRegistry } from '../../../activities/models/model-registry.ts';
import type { ProviderTarget } from '../../../activities/models/tool-schemas/index.ts';
import { runLlmTurn } from '../../../activities/strategies/llm-turn.ts';
import type { McpToolDescriptor } from '../../../schema/tools.ts';
import { swarmToolsFor } from '../../../workflows/swarm/tool-descriptors.ts';
import { referenceServers } from '../tier3/support/mcp-servers.ts';
import { type Brain, type ProviderStandIn, startProviderStandIn } from './support.ts';

/**
 * Contract: every tool a model may be offered (the leader's swarm tools, resource_manage's union
 * included, and every tool of the three reference MCP servers) goes to each strict stand-in in
 * one request, as the engine normalises it, OpenAI's strict mode included, and the model's call
 * comes back by tool key. Nothing is refused.
 */

let folder: string;
let pool: McpPool;
let tools: McpToolDescriptor[] = [];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-models-tools-'));
  const config = parseDeploymentConfig({ mcpServers: referenceServers(folder) }, folder);
  pool = new McpPool(config.mcpServers);
  const listed = await Promise.all(
    ['everything', 'memory', 'filesystem'].map((server) => pool.listTools(server)),
  );
  tools = [...swarmToolsFor('leader', { improvement: true }), ...listed.flat()];
}, 60_000);
afterAll(async () => {
  await pool?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** Calls the first offered tool the conversation has not called yet. */
const callEachTool: Brain = ({ tools: offered, called }) => {
  const next = offered.find((name) => !called.includes(name));
  return next ? { toolCalls: [{ name: next, args: {} }] } : { text: 'done' };
};

const targets: [string, 'openai' | 'anthropic', ProviderTarget][] = [
  ['OpenAI, strict where the schema allows', 'openai', { provider: 'openai', strict: true }],
  ['OpenAI-compatible, not strict', 'openai', { provider: 'openai' }],
  ['Anthropic', 'anthropic', { provider: 'anthropic' }],
];

describe.each(targets)('every tool through the %s stand-in', (_, provider, target) => {
  let standIn: ProviderStandIn;
  beforeAll(async () => {
    standIn = await startProviderStandIn(provider, { brain: callEachTool });
  });
  afterAll(() => standIn?.stop());

  it('is accepted, and a call of it comes back by tool key', async () => {
    const registry = new ModelRegistry(
      parseDeploymentConfig({ models: { model: standIn.modelConfig() as never } }, folder),
    );
    const turn = await runLlmTurn({
      model: registry.resolve('model').model,
      messages: [{ role: 'user', text: 'Use a tool.' }],
      tools,
      toolTarget: target,
    });

    expect(standIn.realRejections()).toEqual([]);
    const [request] = standIn.bodies();
    const offered = request?.tools as Record<string, unknown>[];
    expect(offered).toHaveLength(tools.length);
    const strict = offered.filter((tool) => JSON.stringify(tool).includes('"strict":true')).length;
    if (target.strict) expect(strict).toBeGreaterThan(tools.length / 2);
    else expect(strict).toBe(0);
    expect(turn.message.toolCalls).toEqual([
      expect.objectContaining({ name: 'swarm__update_swarm_shared_state' }),
    ]);
  });
});
