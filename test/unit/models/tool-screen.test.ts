import { describe, expect, it } from 'vitest';
import { ToolScreen, toolTargetsOf } from '../../../activities/models/tool-screen.ts';
import type { McpToolDescriptor } from '../../../schema/tools.ts';

const tool = (name: string, inputSchema: Record<string, unknown>): McpToolDescriptor => ({
  server: 'srv',
  name,
  inputSchema,
  risk: 'low',
});

describe('toolTargetsOf', () => {
  it("gives each provider's rules once: OpenAI strict for api.openai.com, plain for compatible servers, Anthropic", () => {
    expect(
      toolTargetsOf({
        models: {
          a: { provider: 'openai', model: 'x', api: 'chat', fallbacks: [], fallbackAfter: 2 },
          b: { provider: 'openai', model: 'y', api: 'chat', fallbacks: [], fallbackAfter: 2 },
          c: {
            provider: 'openai',
            model: 'z',
            baseURL: 'http://ollama/v1',
            api: 'chat',
            fallbacks: [],
            fallbackAfter: 2,
          },
          d: {
            provider: 'anthropic',
            model: 'w',
            apiKeyEnv: 'K',
            structuredOutput: 'native',
            fallbacks: [],
            fallbackAfter: 2,
          },
        },
      }),
    ).toEqual([
      { provider: 'openai', strict: true },
      { provider: 'openai', strict: false },
      { provider: 'anthropic' },
    ]);
  });
});

describe('ToolScreen', () => {
  it('leaves out a tool no provider can take, naming the tool and the keyword, and reports it once', () => {
    const reports: string[] = [];
    const screen = new ToolScreen(
      [{ provider: 'anthropic' }, { provider: 'openai', strict: true }],
      (problem) => reports.push(`${problem.tool} ${problem.keyword}`),
    );
    const good = tool('ok', { type: 'object', properties: { a: { type: 'string' } } });
    const bad = tool('list', { type: 'array', items: { type: 'string' } });
    expect(screen.screen([good, bad])).toEqual([good]);
    expect(screen.screen([good, bad])).toEqual([good]);
    expect(reports).toEqual(['srv__list type']);
  });

  it('passes every tool through when all can be sent', () => {
    const tools = [tool('a', { type: 'object' }), tool('b', { properties: { x: { type: 'number' } } })];
    expect(new ToolScreen([{ provider: 'openai' }], () => {}).screen(tools)).toBe(tools);
  });
});
