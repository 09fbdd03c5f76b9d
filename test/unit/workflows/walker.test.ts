import { describe, expect, it } from 'vitest';
import type { ProcessGraph } from '../../../schema/graph.ts';
import type { Variables } from '../../../schema/json.ts';
import { RunIncident } from '../../../workflows/navigator/incident.ts';
import { GraphWalker } from '../../../workflows/walker.ts';
import { buildGraph } from '../../support/graph-builder.ts';
import { inMemoryEffects } from '../../support/in-memory-effects.ts';

async function walk(graph: ProcessGraph, variables: Variables = {}, maxSteps = 100) {
  const memory = inMemoryEffects(graph);
  const walker = new GraphWalker(graph, variables, memory.effects, { maxSteps, keyPrefix: '' });
  await walker.walkFrom(graph.startId);
  return { walker, ...memory };
}

const diamond = (kind: 'exclusiveGateway' | 'parallelGateway', defaultFlow?: string) =>
  buildGraph({
    elements: [
      { id: 'start', kind: 'startEvent' },
      { id: 'split', kind, ...(defaultFlow ? { defaultFlow } : {}) } as never,
      { id: 'big', kind: 'script', expression: '"big"', resultVariable: 'size' },
      { id: 'small', kind: 'script', expression: 'x * 10', resultVariable: 'scaled' },
      { id: 'join', kind },
      { id: 'end', kind: 'endEvent' },
    ],
    flows: [
      ['start', 'split'],
      ['split', 'big', kind === 'exclusiveGateway' ? 'x > 5' : undefined],
      ['split', 'small', kind === 'exclusiveGateway' ? 'x < 3' : undefined],
      ['big', 'join'],
      ['small', 'join'],
      ['join', 'end'],
    ],
  });

describe('GraphWalker', () => {
  it('takes the exclusive branch whose condition is true and records the trace in end order', async () => {
    const { walker } = await walk(diamond('exclusiveGateway'), { x: 9 });
    expect(walker.variables).toEqual({ x: 9, size: 'big' });
    expect(walker.trace.map((t) => t.elementId)).toEqual(['start', 'split', 'big', 'join', 'end']);
    expect(walker.trace.find((t) => t.elementId === 'big')?.type).toBe('scriptTask');
  });

  it('takes the default flow when no condition holds', async () => {
    const { walker } = await walk(diamond('exclusiveGateway', 'split->small'), { x: 4 });
    expect(walker.variables.scaled).toBe(40);
  });

  it('raises an incident naming the gateway when no condition holds and there is no default', async () => {
    await expect(walk(diamond('exclusiveGateway'), { x: 4 })).rejects.toThrow(
      new RunIncident('split', 'no outgoing sequence flow has a true condition and there is no default flow'),
    );
  });

  it('runs every branch of an unstructured parallel fork and joins once, counting tokens', async () => {
    const { walker, branches } = await walk(diamond('parallelGateway'), { x: 2 });
    expect(branches).toEqual([]);
    expect(walker.variables).toMatchObject({ size: 'big', scaled: 20 });
    expect(walker.trace.filter((t) => t.elementId === 'join')).toHaveLength(1);
    expect(walker.trace.filter((t) => t.elementId === 'end')).toHaveLength(1);
  });

  it('runs each branch of a block-structured fork as a branch and merges its variable changes', async () => {
    const graph = {
      ...diamond('parallelGateway'),
      forks: { split: { joinId: 'join', branches: ['split->big', 'split->small'] } },
    };
    const { walker, branches, calls } = await walk(graph, { x: 3 });
    expect(branches).toEqual(['split#1.0', 'split#1.1']);
    expect(calls).toEqual(['split#1.0/big#1', 'split#1.1/small#1']);
    expect(walker.variables).toEqual({ x: 3, size: 'big', scaled: 30 });
    expect(walker.trace.map((t) => t.elementId)).toEqual(['start', 'split', 'big', 'small', 'join', 'end']);
    expect(walker.stepsExecuted).toBe(2);
  });

  it('evaluates input and output mappings with Zeebe scoping', async () => {
    const graph = buildGraph({
      elements: [
        { id: 'start', kind: 'startEvent' },
        {
          id: 'calc',
          kind: 'script',
          expression: 'a + b',
          resultVariable: 'sum',
          inputs: [
            { source: 'x', target: 'a' },
            { source: 'a * 2', target: 'b' },
          ],
          outputs: [{ source: 'sum', target: 'result.total' }],
        },
        { id: 'end', kind: 'endEvent' },
      ],
      flows: [
        ['start', 'calc'],
        ['calc', 'end'],
      ],
    });
    const { walker } = await walk(graph, { x: 2, result: { keep: true } });
    expect(walker.variables).toEqual({ x: 2, result: { keep: true, total: 6 } });
  });

  it('keeps locals local when a task has input but no output mappings', async () => {
    const graph = buildGraph({
      elements: [
        { id: 'start', kind: 'startEvent' },
        {
          id: 'calc',
          kind: 'script',
          expression: 'a',
          resultVariable: 'a',
          inputs: [{ source: '1', target: 'a' }],
        },
        { id: 'end', kind: 'endEvent' },
      ],
      flows: [
        ['start', 'calc'],
        ['calc', 'end'],
      ],
    });
    const { walker } = await walk(graph);
    expect(walker.variables).toEqual({});
  });

  it('stops a loop at the run step limit', async () => {
    const graph = buildGraph({
      elements: [
        { id: 'start', kind: 'startEvent' },
        { id: 'inc', kind: 'script', expression: 'n + 1', resultVariable: 'n' },
        { id: 'again', kind: 'exclusiveGateway', defaultFlow: 'again->end' },
        { id: 'end', kind: 'endEvent' },
      ],
      flows: [
        ['start', 'inc'],
        ['inc', 'again'],
        ['again', 'inc', 'n < 100'],
        ['again', 'end'],
      ],
    });
    await expect(walk(graph, { n: 0 }, 5)).rejects.toThrow('inc: the run reached its limit of 5 steps');
  });

  it('marks active elements terminated', async () => {
    const graph = diamond('exclusiveGateway');
    const walker = new GraphWalker(graph, { x: 9 }, inMemoryEffects(graph).effects, {
      maxSteps: 10,
      keyPrefix: '',
    });
    const running = walker.walkFrom(graph.startId);
    walker.terminateActive();
    await running;
    expect(walker.trace[0]).toEqual({ elementId: 'start', type: 'startEvent', status: 'terminated' });
  });
});
