import { describe, expect, it } from 'vitest';
import { applyBlackboardOps } from '../../../workflows/swarm/blackboard.ts';

describe('blackboard operations', () => {
  it('set, delete, append, increment and merge, in that order', () => {
    const before = { notes: ['first'], count: 1, draft: { title: 'x' }, stale: true };
    const after = applyBlackboardOps(before, {
      set: { owner: 'writer' },
      delete: ['stale'],
      append: { notes: 'second', fresh: 1 },
      increment: { count: 2, visits: 1 },
      merge: { draft: { body: 'y' } },
    });
    expect(after).toEqual({
      blackboard: {
        notes: ['first', 'second'],
        fresh: [1],
        count: 3,
        visits: 1,
        draft: { title: 'x', body: 'y' },
        owner: 'writer',
      },
    });
    expect(before.notes).toEqual(['first']);
  });

  it('names every key whose value does not fit its operation', () => {
    expect(
      applyBlackboardOps(
        { n: 'text', list: [1], obj: 3 },
        { append: { n: 1 }, increment: { list: 1 }, merge: { obj: {} } },
      ),
    ).toEqual({
      problems: [
        'blackboard.append.n: "n" holds a string, not a list',
        'blackboard.increment.list: "list" holds a list, not a number',
        'blackboard.merge.obj: "obj" holds a number, not an object',
      ],
    });
  });
});
