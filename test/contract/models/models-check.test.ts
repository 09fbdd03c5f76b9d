import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import {
  type OpenAiReply,
  type OpenAiStandIn,
  startOpenAiStandIn,
} from '../../support/stand-ins/openai-chat.ts';
import type { ValidRequest } from '../../support/stand-ins/scripted-stand-in.ts';

/**
 * `swarmflow models check` against the strict OpenAI stand-in: a working model, a wrong key,
 * and a server without tool support, each reported as such; the exit code says whether every
 * model can do what its users need.
 */

/** Answers as a small model would: JSON when a schema is asked for, the add tool when offered, else text. */
function answer({ body }: ValidRequest): OpenAiReply {
  const messages = body.messages as { role: string }[];
  const tools = (body.tools ?? []) as { function: { name: string } }[];
  if ((body.response_format as { type?: string } | undefined)?.type === 'json_schema')
    return { json: { sum: 5 } };
  const [tool] = tools;
  if (tool && messages.at(-1)?.role !== 'tool')
    return { toolCalls: [{ name: tool.function.name, arguments: { a: 2, b: 3 } }] };
  return { text: messages.at(-1)?.role === 'tool' ? 'The sum is 5.' : 'OK' };
}

let standIn: OpenAiStandIn;
let folder: string;

beforeAll(async () => {
  standIn = await startOpenAiStandIn({
    apiKey: 'sk-right',
    models: { 'gpt-4o-mini': {}, 'llama-notools': { tools: false } },
    defaultResponder: answer,
  });
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-models-check-'));
});
afterAll(async () => {
  await standIn?.stop();
  await rm(folder, { recursive: true, force: true });
});

/** Runs `models check --json` with a config of `models`; the database is unreachable, so needs come from the config. */
async function check(name: string, config: Record<string, unknown>) {
  const path = join(folder, `${name}.json`);
  await writeFile(path, JSON.stringify(config));
  const result = await runCli(['models', 'check', '--json'], {
    SWARMFLOW_CONFIG: path,
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    RIGHT_KEY: 'sk-right',
    WRONG_KEY: 'sk-wrong',
  });
  return { code: result.code, report: JSON.parse(result.stdout), stderr: result.stderr };
}

const model = (name: string, keyEnv: string) => ({
  provider: 'openai',
  model: name,
  baseURL: standIn.baseURL,
  apiKeyEnv: keyEnv,
  structuredOutput: 'native',
});

describe('swarmflow models check', { timeout: 120_000 }, () => {
  it('reports a working model fully and exits 0', async () => {
    const { code, report } = await check('good', {
      models: { good: model('gpt-4o-mini', 'RIGHT_KEY') },
      defaultModel: 'good',
    });
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.catalog).toMatch(/^not read/);
    expect(report.models).toEqual([
      expect.objectContaining({
        model: 'good',
        ok: true,
        reachable: { status: 'ok' },
        authenticated: { status: 'ok' },
        answers: { status: 'ok' },
        toolCalls: expect.objectContaining({ status: 'ok' }),
        structuredOutput: { status: 'ok', detail: 'by json_schema' },
        usageReported: expect.objectContaining({ status: 'ok' }),
        latencyMs: expect.any(Number),
        uses: [{ need: 'tools', by: "a swarm's default leader" }],
      }),
    ]);
    expect(standIn.rejections.filter((rejection) => !rejection.injected)).toEqual([]);
  });

  it('reports a wrong key and a server without tool support, quoting the server, and exits 1', async () => {
    const { code, report } = await check('bad', {
      models: {
        good: model('gpt-4o-mini', 'RIGHT_KEY'),
        locked: model('gpt-4o-mini', 'WRONG_KEY'),
        local: model('llama-notools', 'RIGHT_KEY'),
      },
      defaultModel: 'local',
    });
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    const byName = Object.fromEntries(report.models.map((entry: { model: string }) => [entry.model, entry]));
    expect(byName.good).toMatchObject({ ok: true, uses: [] });
    expect(byName.locked).toMatchObject({
      ok: false,
      reachable: { status: 'ok' },
      authenticated: {
        status: 'failed',
        detail: expect.stringContaining('HTTP 401: Incorrect API key provided'),
      },
      toolCalls: { status: 'skipped' },
    });
    expect(byName.local).toMatchObject({
      ok: false,
      answers: { status: 'ok' },
      toolCalls: {
        status: 'failed',
        detail: expect.stringContaining('llama-notools does not support tools'),
      },
      structuredOutput: { status: 'ok' },
      uses: [{ need: 'tools', by: "a swarm's default leader" }],
    });
  });
});
