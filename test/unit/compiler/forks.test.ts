import { describe, expect, it } from 'vitest';
import { findBlockForks } from '../../../compiler/bpmn/forks.ts';
import { type ElementKind, FlowElement, type SequenceFlow } from '../../../schema/graph.ts';

function kindOf(id: string): ElementKind {
  if (id.startsWith('start')) return 'startEvent';
  if (id.startsWith('end')) return 'endEvent';
  if (id.startsWith('fork') || id.startsWith('join')) return 'parallelGateway';
  if (id.startsWith('xor')) return 'exclusiveGateway';
  return 'task';
}

interface Boundary {
  id: string;
  attachedTo: string;
  interrupting: boolean;
}

interface Layout {
  /** boundary events, each attached to a task */
  boundaries?: Boundary[];
  /** the scope of each element not in the process scope "p" */
  scopes?: Record<string, string>;
}

/** The block forks of a graph given as `source->target` edges; flow ids are the edges. */
function forksOf(edges: string[], { boundaries = [], scopes = {} }: Layout = {}) {
  const elements: Record<string, FlowElement> = {};
  const flows: Record<string, SequenceFlow> = {};
  const links = (id: string) => ({ id, scope: scopes[id] ?? 'p', incoming: [], outgoing: [] });
  const node = (id: string) => {
    elements[id] ??= FlowElement.parse({ ...links(id), kind: kindOf(id) });
    return elements[id];
  };
  for (const { id, attachedTo, interrupting } of boundaries) {
    const trigger = { kind: 'signal', name: '"s"' };
    elements[id] = FlowElement.parse({
      ...links(id),
      kind: 'boundaryEvent',
      attachedTo,
      interrupting,
      trigger,
    });
    const activity = node(attachedTo);
    if ('boundaryEvents' in activity) activity.boundaryEvents.push(id);
  }
  for (const edge of edges) {
    const [source = '', target = ''] = edge.split('->');
    const id = flows[edge] ? `${edge}#2` : edge;
    flows[id] = { id, source, target };
    node(source).outgoing.push(id);
    node(target).incoming.push(id);
  }
  return findBlockForks(elements, flows);
}

const DIAMOND = ['start->fork', 'fork->a', 'fork->b', 'a->join', 'b->join', 'join->end'];

describe('findBlockForks', () => {
  it('finds a simple diamond', () => {
    expect(forksOf(['start->fork', 'fork->a', 'fork->b', 'a->join', 'b->join', 'join->end'])).toEqual({
      fork: { joinId: 'join', branches: ['fork->a', 'fork->b'] },
    });
  });

  it('finds nested diamonds, the inner one inside a branch of the outer one', () => {
    const forks = forksOf([
      'start->fork1',
      'fork1->fork2',
      'fork1->c',
      'fork2->a',
      'fork2->b',
      'a->join2',
      'b->join2',
      'join2->join1',
      'c->join1',
      'join1->end',
    ]);
    expect(forks).toEqual({
      fork1: { joinId: 'join1', branches: ['fork1->fork2', 'fork1->c'] },
      fork2: { joinId: 'join2', branches: ['fork2->a', 'fork2->b'] },
    });
  });

  it('accepts an empty branch straight from fork to join', () => {
    expect(forksOf(['start->fork', 'fork->a', 'fork->join', 'a->join', 'join->end'])).toEqual({
      fork: { joinId: 'join', branches: ['fork->a', 'fork->join'] },
    });
  });

  it('accepts a loop inside a branch', () => {
    expect(
      forksOf(['start->fork', 'fork->a', 'fork->b', 'a->xor', 'xor->a', 'xor->join', 'b->join', 'join->end']),
    ).toEqual({ fork: { joinId: 'join', branches: ['fork->a', 'fork->b'] } });
  });

  it('rejects an unbalanced fork whose branch can reach an end event', () => {
    expect(
      forksOf([
        'start->fork',
        'fork->a',
        'fork->b',
        'a->join',
        'b->xor',
        'xor->join',
        'xor->end2',
        'join->end',
      ]),
    ).toEqual({});
  });

  it('rejects crossing branches', () => {
    expect(
      forksOf([
        'start->fork',
        'fork->a',
        'fork->b',
        'a->join1',
        'a->join2',
        'b->join1',
        'b->join2',
        'join1->end1',
        'join2->end2',
      ]),
    ).toEqual({});
  });

  it('rejects three branches of which two join early', () => {
    expect(
      forksOf([
        'start->fork',
        'fork->a',
        'fork->b',
        'fork->c',
        'a->join1',
        'b->join1',
        'join1->join2',
        'c->join2',
        'join2->end',
      ]),
    ).toEqual({});
  });

  it('rejects a branch entered from outside the block', () => {
    expect(
      forksOf(['start->t', 't->fork', 't->a', 'fork->a', 'fork->b', 'a->join', 'b->join', 'join->end']),
    ).toEqual({});
  });

  it('rejects a join that loops back into a branch', () => {
    expect(forksOf(['start->fork', 'fork->a', 'fork->b', 'a->join', 'b->join', 'join->a'])).toEqual({});
  });

  it('rejects two branches into the same element', () => {
    expect(forksOf(['start->fork', 'fork->a', 'fork->a', 'a->join', 'a->join', 'join->end'])).toEqual({});
  });

  it('rejects a join that other flows enter too', () => {
    expect(
      forksOf(['start->t', 't->fork', 't->join', 'fork->a', 'fork->b', 'a->join', 'b->join', 'join->end']),
    ).toEqual({});
  });

  it('rejects a branch that can get stuck in a loop away from the join', () => {
    expect(
      forksOf([
        'start->fork',
        'fork->a',
        'fork->b',
        'a->join',
        'b->xor',
        'xor->join',
        'xor->c',
        'c->c',
        'join->end',
      ]),
    ).toEqual({});
  });

  it('leaves joins and gateways with one outgoing flow alone', () => {
    expect(forksOf(['start->fork', 'fork->a', 'a->end'])).toEqual({});
  });

  it('finds forks in each scope, joining only within their own scope', () => {
    const inner = ['start2->fork2', 'fork2->x', 'fork2->y', 'x->join2', 'y->join2', 'join2->end2'];
    const scopes = Object.fromEntries(
      ['start2', 'fork2', 'x', 'y', 'join2', 'end2'].map((id) => [id, 'sub']),
    );
    expect(forksOf([...DIAMOND, ...inner], { scopes })).toEqual({
      fork: { joinId: 'join', branches: ['fork->a', 'fork->b'] },
      fork2: { joinId: 'join2', branches: ['fork2->x', 'fork2->y'] },
    });
  });

  it('accepts an interrupting boundary event whose path rejoins its branch', () => {
    const edges = [
      'start->fork',
      'fork->a',
      'fork->b',
      'a->c',
      'timeout->c',
      'c->join',
      'b->join',
      'join->end',
    ];
    expect(forksOf(edges, { boundaries: [{ id: 'timeout', attachedTo: 'a', interrupting: true }] })).toEqual({
      fork: { joinId: 'join', branches: ['fork->a', 'fork->b'] },
    });
  });

  it('rejects a branch whose boundary event leads to an end event or adds a token', () => {
    const leaving = [...DIAMOND, 'timeout->end2'];
    expect(
      forksOf(leaving, { boundaries: [{ id: 'timeout', attachedTo: 'a', interrupting: true }] }),
    ).toEqual({});
    const adding = [
      'start->fork',
      'fork->a',
      'fork->b',
      'a->c',
      'remind->c',
      'c->join',
      'b->join',
      'join->end',
    ];
    expect(forksOf(adding, { boundaries: [{ id: 'remind', attachedTo: 'a', interrupting: false }] })).toEqual(
      {},
    );
  });
});
