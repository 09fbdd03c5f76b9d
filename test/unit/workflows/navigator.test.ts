import { describe, expect, it } from 'vitest';
import { RunIncident } from '../../../workflows/navigator/incident.ts';
import { JoinCounter } from '../../../workflows/navigator/joins.ts';
import { evaluateInputs, evaluateOutputs } from '../../../workflows/navigator/mappings.ts';
import { selectOutgoing } from '../../../workflows/navigator/outgoing.ts';
import { canStillArrive } from '../../../workflows/navigator/reachability.ts';
import { VariableScope } from '../../../workflows/navigator/variable-scope.ts';
import { buildGraph } from '../../support/graph-builder.ts';

const gatewayGraph = (kind: 'exclusiveGateway' | 'inclusiveGateway', defaultFlow?: string) =>
  buildGraph({
    elements: [
      { id: 'start', kind: 'startEvent' },
      { id: 'split', kind, ...(defaultFlow ? { defaultFlow } : {}) },
      { id: 'a', kind: 'task' },
      { id: 'b', kind: 'task' },
      { id: 'c', kind: 'task' },
      { id: 'end', kind: 'endEvent' },
    ],
    flows: [
      ['start', 'split'],
      ['split', 'a', 'x > 1'],
      ['split', 'b', 'x > 2'],
      ['split', 'c'],
      ['a', 'end'],
      ['b', 'end'],
      ['c', 'end'],
    ],
  });

describe('selectOutgoing', () => {
  it('takes the first true flow of an exclusive gateway', () => {
    const graph = gatewayGraph('exclusiveGateway', 'split->c');
    expect(selectOutgoing(graph, graph.elements.split as never, { x: 5 })).toEqual(['split->a']);
    expect(selectOutgoing(graph, graph.elements.split as never, { x: 0 })).toEqual(['split->c']);
  });

  it('takes every true flow of an inclusive gateway, and its default only when none holds', () => {
    const graph = gatewayGraph('inclusiveGateway', 'split->c');
    expect(selectOutgoing(graph, graph.elements.split as never, { x: 5 })).toEqual(['split->a', 'split->b']);
    expect(selectOutgoing(graph, graph.elements.split as never, { x: 0 })).toEqual(['split->c']);
  });

  it('is an incident naming the gateway when nothing holds and there is no default', () => {
    const graph = buildGraph({
      elements: [
        { id: 'split', kind: 'exclusiveGateway' },
        { id: 'a', kind: 'task' },
        { id: 'b', kind: 'task' },
      ],
      flows: [
        ['split', 'a', 'x > 1'],
        ['split', 'b', 'x < 0'],
      ],
    });
    expect(() => selectOutgoing(graph, graph.elements.split as never, { x: 0 })).toThrow(RunIncident);
    expect(() => selectOutgoing(graph, graph.elements.split as never, { x: 0 })).toThrow(
      /^split: no outgoing/,
    );
  });

  it('raises a FEEL error in a condition as an incident on the gateway', () => {
    const graph = gatewayGraph('exclusiveGateway', 'split->c');
    const broken = {
      ...graph,
      flows: { ...graph.flows, 'split->a': { ...graph.flows['split->a'], condition: 'x >' } },
    };
    expect(() => selectOutgoing(broken as never, graph.elements.split as never, { x: 1 })).toThrow(
      /^split: FEEL/,
    );
  });
});

describe('JoinCounter', () => {
  it('fires when every incoming flow has a token, keeping extra tokens for the next firing', () => {
    const joins = new JoinCounter();
    const gateway = { id: 'join', incoming: ['f1', 'f2'] } as never;
    expect(joins.arrive(gateway, 'f1')).toBe(false);
    expect(joins.arrive(gateway, 'f1')).toBe(false);
    expect(joins.arrive(gateway, 'f2')).toBe(true);
    expect(joins.arrive(gateway, 'f2')).toBe(true);
    expect(joins.arrive(gateway, 'f2')).toBe(false);
  });
});

describe('canStillArrive', () => {
  const graph = buildGraph({
    elements: [
      { id: 'a', kind: 'task' },
      { id: 'b', kind: 'task' },
      { id: 'join', kind: 'inclusiveGateway' },
      { id: 'after', kind: 'task' },
    ],
    flows: [
      ['a', 'b'],
      ['b', 'join'],
      ['join', 'after'],
      ['after', 'a'],
    ],
  });

  it('sees a token upstream of a missing flow', () => {
    expect(canStillArrive(graph, 'a', 'join', new Set(['b->join']))).toBe(true);
  });

  it('does not count paths through the join itself', () => {
    expect(canStillArrive(graph, 'after', 'join', new Set(['b->join']))).toBe(true);
    expect(canStillArrive(graph, 'join', 'join', new Set(['b->join']))).toBe(false);
  });
});

describe('VariableScope', () => {
  it('reads the nearest definition and writes where a variable is defined, else at the root', () => {
    const root = new VariableScope(undefined, { order: 1, total: 0 });
    const sub = root.child({ total: 5 });
    const task = sub.child({ item: 'x' });
    expect(task.view()).toEqual({ order: 1, total: 5, item: 'x' });
    task.propagate({ item: 'y', total: 6, fresh: true });
    expect(task.ownVariables()).toEqual({ item: 'y' });
    expect(sub.ownVariables()).toEqual({ total: 6 });
    expect(root.ownVariables()).toEqual({ order: 1, total: 0, fresh: true });
  });
});

describe('io mappings', () => {
  it('evaluates inputs in order and outputs into dotted paths keeping siblings', () => {
    expect(
      evaluateInputs(
        't',
        [
          { source: 'x', target: 'a' },
          { source: 'a * 2', target: 'b' },
        ],
        { x: 2 },
      ),
    ).toEqual({
      a: 2,
      b: 4,
    });
    expect(
      evaluateOutputs('t', [{ source: 'sum', target: 'result.total' }], { sum: 6, result: { keep: true } }),
    ).toEqual({ result: { keep: true, total: 6 } });
  });

  it('names the element and target when a mapping fails', () => {
    expect(() => evaluateInputs('calc', [{ source: 'x +', target: 'a' }], {})).toThrow(
      /^calc: mapping to "a"/,
    );
  });
});

describe('evaluateFeel', () => {
  it('gives null for a missing variable even when a built-in function has its name, as Zeebe does', async () => {
    const { evaluateFeel } = await import('../../../workflows/feel.ts');
    expect(evaluateFeel('{ "product": product, "name": applicant.name }', {})).toEqual({
      product: null,
      name: null,
    });
    expect(evaluateFeel('product([2, 3])', {})).toBe(6);
  });
});
