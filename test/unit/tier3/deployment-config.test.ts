import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadDeploymentConfig,
  parseDeploymentConfig,
} from '../../../activities/config/load-deployment-config.ts';
import { ValidationError } from '../../../schema/validation.ts';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-config-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const claudeDesktopShape = {
  mcpServers: {
    everything: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] },
    memory: { command: './bin/memory', env: { MEMORY_FILE_PATH: 'memory.jsonl' }, cwd: 'servers' },
    remote: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer t' } },
  },
  models: {
    local: { provider: 'openai', model: 'llama3.1', baseURL: 'http://localhost:11434/v1' },
    claude: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
    demo: { provider: 'scripted', script: 'scripts/demo.json' },
  },
  defaultModel: 'demo',
  prices: { models: { claude: { inputPer1k: 0.3, outputPer1k: 1.5 } }, toolCall: 1, perSecond: 0.01 },
  toolPolicy: {
    rules: [
      { tool: 'memory/delete_*', decision: 'approve' },
      { risk: 'high', decision: 'deny' },
    ],
    default: 'allow',
  },
};

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('the deployment config', () => {
  it('is empty without a file', async () => {
    const config = await loadDeploymentConfig({}, folder);
    expect(config).toEqual({
      mcpServers: {},
      models: {},
      prices: { models: {}, toolCall: 0, perSecond: 0 },
      toolPolicy: { rules: [] },
      roles: {},
    });
  });

  it('takes custom roles and an OIDC provider for the API server, naming a bad role field', async () => {
    const config = parseDeploymentConfig(
      {
        roles: { platform: { inherits: ['admin'], permissions: ['tenants:manage'] } },
        oidc: {
          issuer: 'https://id.example.com',
          audience: 'swarmflow',
          jwksUrl: 'https://id.example.com/jwks',
        },
      },
      folder,
    );
    expect(config.roles.platform).toEqual({ inherits: ['admin'], permissions: ['tenants:manage'] });
    expect(config.oidc?.issuer).toBe('https://id.example.com');
    expect(() => parseDeploymentConfig({ roles: { reviewer: { inherits: ['nobody'] } } }, folder)).toThrow(
      'roles.reviewer.inherits.0: unknown role "nobody"',
    );
  });

  it('reads swarmflow.config.json in the Claude Desktop shape, paths relative to its folder', async () => {
    await writeFile(join(folder, 'swarmflow.config.json'), JSON.stringify(claudeDesktopShape));
    const config = await loadDeploymentConfig({}, folder);
    expect(config.mcpServers).toEqual({
      everything: {
        transport: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-everything'],
        env: {},
        cwd: folder,
      },
      memory: {
        transport: 'stdio',
        command: './bin/memory',
        args: [],
        env: { MEMORY_FILE_PATH: 'memory.jsonl' },
        cwd: join(folder, 'servers'),
      },
      remote: {
        transport: 'http',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: 'Bearer t' },
      },
    });
    expect(config.models.demo).toEqual({
      provider: 'scripted',
      fallbacks: [],
      fallbackAfter: 2,
      script: join(folder, 'scripts/demo.json'),
    });
    expect(config.models.claude).toMatchObject({ apiKeyEnv: 'ANTHROPIC_API_KEY' });
    expect(config.prices.models.claude).toEqual({ inputPer1k: 0.3, outputPer1k: 1.5 });
    expect(config.toolPolicy.default).toBe('allow');
  });

  it('comes from SWARMFLOW_CONFIG when set, which must exist', async () => {
    await mkdir(join(folder, 'elsewhere'), { recursive: true });
    await writeFile(
      join(folder, 'elsewhere', 'prod.json'),
      JSON.stringify({ defaultModel: 'x', models: { x: { provider: 'scripted', turns: [{ text: 'hi' }] } } }),
    );
    const config = await loadDeploymentConfig({ SWARMFLOW_CONFIG: 'elsewhere/prod.json' }, folder);
    expect(config.defaultModel).toBe('x');
    await expect(loadDeploymentConfig({ SWARMFLOW_CONFIG: 'missing.json' }, folder)).rejects.toThrow(
      /deployment config .*missing\.json:\n {2}- \(root\): cannot read it: ENOENT/,
    );
  });

  it('refuses a file that is not JSON', async () => {
    await writeFile(join(folder, 'bad.json'), '{ "models": ');
    await expect(loadDeploymentConfig({ SWARMFLOW_CONFIG: 'bad.json' }, folder)).rejects.toThrow(
      /\(root\): not valid JSON/,
    );
  });

  it('names every field at fault', () => {
    expect(
      problems(() =>
        parseDeploymentConfig(
          {
            mcpServers: {
              noCommand: { args: ['x'] },
              both: { command: 'x', url: 'http://h/mcp' },
              badUrl: { url: 'not a url' },
            },
            models: {
              m: { provider: 'openai' },
              p: { provider: 'gemini', model: 'g' },
              s: { provider: 'scripted' },
            },
            defaultModel: 'nope',
            prices: { models: { ghost: { inputPer1k: 1 } }, toolCall: -1 },
            toolPolicy: { rules: [{ decision: 'approve' }, { tool: '*', decision: 'maybe' }] },
            mcpServer: {},
          },
          '/',
        ),
      ),
    ).toEqual([
      'mcpServers.noCommand.command: Invalid input: expected string, received undefined',
      'mcpServers.both: Unrecognized key: "command"',
      'mcpServers.badUrl.url: Invalid URL',
      'models.m.model: Invalid input: expected string, received undefined',
      "models.p.provider: Invalid discriminator value. Expected 'openai' | 'anthropic' | 'scripted'",
      'models.s.script: give exactly one of "script" (a file) or "turns"',
      'prices.toolCall: Too small: expected number to be >=0',
      'toolPolicy.rules.0.tool: a rule needs "tool" (a glob such as "memory/delete_*") or "risk"',
      'toolPolicy.rules.1.decision: Invalid option: expected one of "allow"|"approve"|"deny"',
      '(root): Unrecognized key: "mcpServer"',
    ]);
  });

  it('checks server names, which become part of tool keys', () => {
    expect(
      problems(() =>
        parseDeploymentConfig({ mcpServers: { 'bad name': { command: 'x' }, a__b: { command: 'x' } } }, '/'),
      ),
    ).toEqual([
      'mcpServers.bad name: use letters, digits, "_" or "-"',
      'mcpServers.a__b: may not contain "__" (it separates server and tool in tool keys)',
    ]);
  });

  it('checks that model names it refers to exist', () => {
    expect(
      problems(() =>
        parseDeploymentConfig(
          {
            models: { a: { provider: 'scripted', turns: [{ text: 'x' }] } },
            defaultModel: 'b',
            prices: { models: { c: {} } },
          },
          '/',
        ),
      ),
    ).toEqual([
      'defaultModel: names no model in "models" (a)',
      'prices.models.c: names no model in "models" (a)',
    ]);
  });
});
