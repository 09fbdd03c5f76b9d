import { describe, expect, it } from 'vitest';
import { ClosedUserTask, OpenedUserTask } from '../../../activities/user-tasks/records.ts';
import { UserTaskFilter } from '../../../schema/user-task.ts';

const opened = { runId: 'r1', taskKey: 'review#1', tenantId: 'default', elementId: 'review' };

describe('user task activity arguments', () => {
  it('fill what a run may leave out', () => {
    expect(OpenedUserTask.parse(opened)).toEqual({
      ...opened,
      name: null,
      assignee: null,
      candidateGroups: [],
      dueDate: null,
      formKey: null,
      variables: {},
    });
    expect(ClosedUserTask.parse({ runId: 'r1', taskKey: 'review#1', status: 'cancelled' })).toMatchObject({
      output: null,
    });
  });

  it.each(['2026-03-01T12:00:00Z', '2026-03-01T12:00:00.250+02:00'])('take the due date %s', (dueDate) => {
    expect(OpenedUserTask.parse({ ...opened, dueDate }).dueDate).toBe(dueDate);
  });

  it.each(['2026-03-01', '2026-03-01T12:00:00', 'tomorrow'])(
    'refuse the due date %s: it needs a zone, as in Zeebe',
    (dueDate) => {
      expect(OpenedUserTask.safeParse({ ...opened, dueDate }).success).toBe(false);
    },
  );

  it('refuse an unknown status in a filter', () => {
    expect(UserTaskFilter.safeParse({ status: 'done' }).success).toBe(false);
  });
});
