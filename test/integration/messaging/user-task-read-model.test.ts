import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listUserTasks,
  recordUserTaskClosed,
  recordUserTaskOpened,
  type UserTaskOpening,
} from '../../../activities/store/user-task-read-model.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

const opening = (
  runId: string,
  taskKey: string,
  overrides: Partial<UserTaskOpening> = {},
): UserTaskOpening => ({
  runId,
  taskKey,
  tenantId: 'default',
  elementId: taskKey.split('#')[0] ?? taskKey,
  name: 'Review the order',
  assignee: null,
  candidateGroups: ['sales'],
  dueDate: null,
  formKey: null,
  variables: { orderId: 42 },
  ...overrides,
});

describe('user task read model on PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('records an opening once, with everything a person needs to find and do the task', async () => {
    const { db } = database;
    const dueDate = new Date('2026-03-01T12:00:00Z');
    await recordUserTaskOpened(
      db,
      opening('r1', 'review#1', { assignee: 'ada', dueDate, formKey: 'review-form' }),
    );
    await recordUserTaskOpened(db, opening('r1', 'review#1', { name: 'changed', assignee: 'bob' }));
    expect(await listUserTasks(db, 'default', { runId: 'r1' })).toEqual([
      {
        runId: 'r1',
        taskKey: 'review#1',
        tenantId: 'default',
        elementId: 'review',
        name: 'Review the order',
        assignee: 'ada',
        candidateGroups: ['sales'],
        dueDate,
        formKey: 'review-form',
        status: 'open',
        variables: { orderId: 42 },
        output: null,
        createdAt: expect.any(Date),
        completedAt: null,
        completedBy: null,
      },
    ]);
  });

  it('records how a task ended once: a repeat keeps the first ending', async () => {
    const { db } = database;
    await recordUserTaskOpened(db, opening('r2', 'approve#1'));
    await recordUserTaskClosed(db, {
      runId: 'r2',
      taskKey: 'approve#1',
      status: 'completed',
      output: { ok: true },
      completedBy: 'api-key:abc',
    });
    await recordUserTaskClosed(db, { runId: 'r2', taskKey: 'approve#1', status: 'cancelled', output: null });
    const [task] = await listUserTasks(db, 'default', { runId: 'r2' });
    expect(task).toMatchObject({
      status: 'completed',
      output: { ok: true },
      completedAt: expect.any(Date),
      completedBy: 'api-key:abc',
    });
  });

  it('refuses to end a task whose opening was never recorded', async () => {
    const closing = recordUserTaskClosed(database.db, {
      runId: 'nope',
      taskKey: 'x#1',
      status: 'completed',
      output: null,
    });
    await expect(closing).rejects.toThrow(/no user task "x#1" of run "nope": record its opening first/);
  });

  it('lists by tenant, run, status and assignee, oldest first', async () => {
    const { db } = database;
    await recordUserTaskOpened(db, opening('r3', 'a#1', { assignee: 'ada' }));
    await recordUserTaskOpened(db, opening('r3', 'b#1', { assignee: 'bob' }));
    await recordUserTaskOpened(db, opening('r4', 'a#1', { assignee: 'ada' }));
    await recordUserTaskOpened(db, opening('r5', 'a#1', { tenantId: 'other' }));
    await recordUserTaskClosed(db, { runId: 'r3', taskKey: 'b#1', status: 'cancelled', output: null });
    const keys = async (filter: Parameters<typeof listUserTasks>[2], tenantId = 'default') =>
      (await listUserTasks(db, tenantId, filter)).map((t) => `${t.runId}/${t.taskKey}`);

    expect(await keys({ runId: 'r3' })).toEqual(['r3/a#1', 'r3/b#1']);
    expect(await keys({ runId: 'r3', status: 'open' })).toEqual(['r3/a#1']);
    expect(await keys({ assignee: 'ada', status: 'open' })).toEqual(['r1/review#1', 'r3/a#1', 'r4/a#1']);
    expect(await keys({}, 'other')).toEqual(['r5/a#1']);
    expect(await keys({ limit: 2 })).toHaveLength(2);
  });
});
