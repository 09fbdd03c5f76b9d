import { describe, expect, it } from 'vitest';
import { SubtaskBoard } from '../../../workflows/swarm/subtask-board.ts';

const rules = { maxSubtasks: 5, agentIds: ['leader', 'writer'] };
const proposal = (id: string, dependsOn: string[] = []) => ({ id, description: `do ${id}`, dependsOn });

describe('the subtask board', () => {
  it('makes ready only the subtasks whose dependencies are done', () => {
    const board = new SubtaskBoard();
    expect(
      board.apply({ set: [proposal('a'), proposal('b'), proposal('c', ['a', 'b'])], delete: [] }, rules),
    ).toEqual([]);
    expect(board.ready().map((subtask) => subtask.id)).toEqual(['a', 'b']);
    Object.assign(board.get('a') ?? {}, { status: 'done' });
    expect(board.ready().map((subtask) => subtask.id)).toEqual(['b']);
    Object.assign(board.get('b') ?? {}, { status: 'done' });
    expect(board.ready().map((subtask) => subtask.id)).toEqual(['c']);
  });

  it('rejects a change whole, naming each problem, and changes nothing', () => {
    const board = new SubtaskBoard();
    board.apply({ set: [proposal('a')], delete: [] }, rules);
    const problems = board.apply(
      {
        set: [proposal('b', ['missing']), { ...proposal('c'), assignee: 'stranger' }, proposal('b')],
        delete: ['nope'],
      },
      rules,
    );
    expect(problems).toEqual([
      'subtasks.delete: no subtask "nope"',
      'subtasks.set[2].id: "b" is given twice',
      'subtasks.set[0].dependsOn: no subtask "missing"',
      'subtasks.set[1].assignee: "stranger" is not on the team (leader, writer)',
    ]);
    expect(board.subtasks.map((subtask) => subtask.id)).toEqual(['a']);
  });

  it('rejects cycles, too many subtasks, and replacing started work', () => {
    const board = new SubtaskBoard();
    expect(board.apply({ set: [proposal('a', ['b']), proposal('b', ['a'])], delete: [] }, rules)).toEqual([
      'subtasks: the dependencies form a cycle: a → b → a',
    ]);
    const many = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => proposal(id));
    expect(board.apply({ set: many, delete: [] }, rules)).toEqual([
      "subtasks: the swarm's limit maxSubtasks = 5 would be exceeded (6)",
    ]);
    board.apply({ set: [proposal('a')], delete: [] }, rules);
    Object.assign(board.get('a') ?? {}, { status: 'in_progress' });
    expect(board.apply({ set: [proposal('a')], delete: ['a'] }, rules)).toEqual([
      'subtasks.delete: "a" is in_progress; only subtasks not started can be deleted',
      'subtasks.set[0].id: "a" is in_progress; give a new id for new work',
    ]);
  });

  it('blocks every subtask downstream of one that failed', () => {
    const board = new SubtaskBoard();
    board.apply(
      { set: [proposal('a'), proposal('b', ['a']), proposal('c', ['b']), proposal('d')], delete: [] },
      rules,
    );
    Object.assign(board.get('a') ?? {}, { status: 'failed' });
    board.blockDependentsOfUnsuccessful();
    expect(board.subtasks.map((subtask) => subtask.status)).toEqual(['failed', 'blocked', 'blocked', 'todo']);
    expect(board.get('c')?.error).toBe('depends on b, which did not finish');
    expect(board.allEnded()).toBe(false);
    board.cancelNotStarted('stopped');
    expect(board.allEnded()).toBe(true);
  });
});
