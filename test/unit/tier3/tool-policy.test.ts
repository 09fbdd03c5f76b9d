import { describe, expect, it } from 'vitest';
import {
  decideToolCall,
  findToolByKey,
  type McpToolDescriptor,
  ToolPolicy,
  toolKey,
  toolResultValue,
  toolRisk,
} from '../../../schema/tools.ts';

const tool = (server: string, name: string, risk: McpToolDescriptor['risk']) => ({ server, name, risk });
const deployment = ToolPolicy.parse({
  rules: [
    { tool: 'memory/delete_*', decision: 'approve' },
    { tool: 'shell/*', decision: 'deny' },
    { risk: 'high', decision: 'approve' },
  ],
  default: 'allow',
});

describe('the tool policy', () => {
  it('lets the first matching rule decide, else the default', () => {
    expect(
      decideToolCall(
        [{ source: 'deployment', policy: deployment }],
        tool('memory', 'delete_entities', 'high'),
      ),
    ).toEqual({
      decision: 'approve',
      reason: 'deployment rule 1 (tool "memory/delete_*"): approve',
    });
    expect(
      decideToolCall([{ source: 'deployment', policy: deployment }], tool('shell', 'run', 'high')).decision,
    ).toBe('deny');
    expect(
      decideToolCall([{ source: 'deployment', policy: deployment }], tool('fs', 'write', 'high')),
    ).toEqual({
      decision: 'approve',
      reason: 'deployment rule 3 (risk high): approve',
    });
    expect(
      decideToolCall([{ source: 'deployment', policy: deployment }], tool('everything', 'get-sum', 'low')),
    ).toEqual({
      decision: 'allow',
      reason: 'deployment default: allow',
    });
  });

  it('matches globs over server/tool with * and ?, and rules giving both tool and risk need both', () => {
    const policy = ToolPolicy.parse({ rules: [{ tool: '*/get-?um', risk: 'low', decision: 'deny' }] });
    const layers = [{ source: 'routine r', policy }];
    expect(decideToolCall(layers, tool('everything', 'get-sum', 'low')).decision).toBe('deny');
    expect(decideToolCall(layers, tool('everything', 'get-sum', 'medium')).decision).toBe('allow');
    expect(decideToolCall(layers, tool('everything', 'get-summary', 'low')).decision).toBe('allow');
    const literal = [
      { source: 'routine r', policy: ToolPolicy.parse({ rules: [{ tool: 'a.b/(x)+', decision: 'deny' }] }) },
    ];
    expect(decideToolCall(literal, tool('a.b', '(x)+', 'low')).decision).toBe('deny');
    expect(decideToolCall(literal, tool('aXb', '(x)+', 'low')).decision).toBe('allow');
    expect(decideToolCall(literal, tool('a.b', 'xx', 'low')).decision).toBe('allow');
  });

  it('lets every layer only tighten: the strictest decision wins', () => {
    const routine = ToolPolicy.parse({ rules: [{ tool: 'memory/*', decision: 'allow' }] });
    const swarm = ToolPolicy.parse({ rules: [{ tool: 'everything/*', decision: 'deny' }] });
    const layers = [
      { source: 'deployment', policy: deployment },
      { source: 'routine r', policy: routine },
      { source: 'swarm s', policy: swarm },
    ];
    expect(decideToolCall(layers, tool('memory', 'delete_entities', 'high')).decision).toBe('approve');
    expect(decideToolCall(layers, tool('everything', 'get-sum', 'low'))).toEqual({
      decision: 'deny',
      reason: 'swarm s rule 1 (tool "everything/*"): deny',
    });
  });

  it('allows a call no layer decides', () => {
    expect(
      decideToolCall([{ source: 'routine r', policy: ToolPolicy.parse({}) }], tool('a', 'b', 'high')),
    ).toEqual({
      decision: 'allow',
      reason: 'no tool policy rule applies',
    });
  });
});

describe('tools', () => {
  it('take their risk from MCP annotations, destructive unless they say otherwise', () => {
    expect(toolRisk({ readOnlyHint: true })).toBe('low');
    expect(toolRisk({ destructiveHint: false })).toBe('medium');
    expect(toolRisk({ readOnlyHint: false })).toBe('high');
    expect(toolRisk(undefined)).toBe('high');
  });

  it('are named for models by a key that maps back', () => {
    const tools: McpToolDescriptor[] = [
      { server: 'everything', name: 'get-sum', inputSchema: {}, risk: 'low' },
      { server: 'files', name: 'read.file', inputSchema: {}, risk: 'low' },
    ];
    expect(tools.map(toolKey)).toEqual(['everything__get-sum', 'files__read_file']);
    expect(findToolByKey(tools, 'files__read_file')).toBe(tools[1]);
    expect(findToolByKey(tools, 'files__write')).toBeUndefined();
  });

  it('give BPMN tasks their structured content as result, else their text', () => {
    expect(toolResultValue({ text: '{"a":1}', structuredContent: { a: 1 }, isError: false })).toEqual({
      a: 1,
    });
    expect(toolResultValue({ text: 'The sum of 2 and 3 is 5.', isError: false })).toBe(
      'The sum of 2 and 3 is 5.',
    );
  });
});
