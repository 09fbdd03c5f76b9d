import { describe, expect, it } from 'vitest';
import { strategyEvolution } from '../../../activities/improvement/optimizers/strategy-evolution.ts';
import { compileRoutine } from '../../../compiler/index.ts';
import type { McpToolDescriptor } from '../../../schema/tools.ts';
import { evidenceOf, reason, scriptedContext } from '../../support/optimizer-context.ts';

const routine = {
  id: 'support',
  body: {
    kind: 'sequence' as const,
    steps: [{ id: 'answer', prompt: 'Answer the customer: {{ question }}', resultVariable: 'reply' }],
  },
};

const tool = (server: string, name: string, description: string): McpToolDescriptor => ({
  server,
  name,
  description,
  inputSchema: { type: 'object' },
  risk: 'low',
});
const tools = [
  tool('orders', 'find_order', 'Find an order by its order number: status, items, shipping'),
  tool('weather', 'forecast', 'The weather forecast for a city'),
];

const failing = (question: string, reply: string, why: string) => ({
  input: { question },
  output: { question, reply },
  score: 0,
  reasons: [reason(why)],
});

describe('the strategy evolution optimizer', () => {
  it('switches a conversational step to reasoning with the tools its failures ask for', async () => {
    const evidence = evidenceOf(routine, [
      failing(
        'Where is order 42?',
        'I cannot look up your order status, sorry.',
        'status: expected "shipped"',
      ),
      failing('Has order 7 shipped?', "I don't have access to order data.", 'status: expected "pending"'),
      { input: { question: 'Hi' }, output: { question: 'Hi', reply: 'Hello!' }, score: 1, reasons: [] },
    ]);
    const result = await strategyEvolution().propose(
      evidence,
      scriptedContext([{ text: 'unused' }], { tools }),
    );
    expect(result.candidates).toHaveLength(1);
    const [candidate] = result.candidates;
    expect(candidate?.change).toBe(
      'step answer: conversational → reasoning with tools orders/find_order (2 failing cases show missing tool use)',
    );
    const body = candidate?.definition.body;
    if (body?.kind !== 'sequence') throw new Error('expected a sequence');
    expect(body.steps[0]).toMatchObject({ strategy: 'reasoning', tools: ['orders/find_order'] });
    await compileRoutine(body);
    expect(result.usage.credits).toBe(0);
  });

  it('reads a scorer reason naming missing data as missing tool use', async () => {
    const evidence = evidenceOf(routine, [
      failing(
        'Status of order 9?',
        'It is on its way.',
        'judge: made-up status; the order was never looked up',
      ),
    ]);
    const result = await strategyEvolution().propose(
      evidence,
      scriptedContext([{ text: 'unused' }], { tools }),
    );
    expect(result.candidates.map((c) => c.change)).toEqual([
      'step answer: conversational → reasoning with tools orders/find_order (1 failing case shows missing tool use)',
    ]);
  });

  it('stays put when the failures are not about missing tools, or no tool fits them', async () => {
    const wrongTone = evidenceOf(routine, [failing('Where is order 42?', 'Go away.', 'judge: rude reply')]);
    expect(
      (await strategyEvolution().propose(wrongTone, scriptedContext([{ text: 'x' }], { tools }))).candidates,
    ).toEqual([]);
    const noTool = evidenceOf(routine, [failing('Where is order 42?', 'I cannot look up orders.', 'wrong')]);
    const weatherOnly = [tools[1] as McpToolDescriptor];
    expect(
      (await strategyEvolution().propose(noTool, scriptedContext([{ text: 'x' }], { tools: weatherOnly })))
        .candidates,
    ).toEqual([]);
  });
});
