import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnknownRoutineError, UnknownRoutineVersionError } from '../../../activities/store/errors.ts';
import { RoutineStore } from '../../../activities/store/routine-store.ts';
import { storeBackends } from './backends.ts';
import { compiledRoutine, sequenceDefinition } from './fixtures.ts';

describe.each(storeBackends)('routine store on $name', (backend) => {
  let database: Awaited<ReturnType<typeof backend.open>>;
  let store: RoutineStore;

  beforeAll(async () => {
    database = await backend.open();
    store = new RoutineStore(database.db);
  });
  afterAll(() => database?.drop());

  it('stores a routine as version 1 and gives back what it stored', async () => {
    const definition = sequenceDefinition('order-fulfilment', {
      name: 'Order fulfilment',
      description: 'ships an order',
      inputSchema: { type: 'object', required: ['orderId'] },
      limits: { maxSteps: 10 },
    });
    const registration = await store.register(
      'default',
      definition,
      compiledRoutine(),
      'hash-1',
      '[{"id":"greet"}]',
    );
    expect(registration).toEqual({ version: 1, created: true });

    const stored = await store.get('default', 'order-fulfilment');
    expect(stored).toMatchObject({
      tenantId: 'default',
      id: 'order-fulfilment',
      version: 1,
      name: 'Order fulfilment',
      description: 'ships an order',
      kind: 'sequence',
      source: '[{"id":"greet"}]',
      compiled: compiledRoutine(),
      hash: 'hash-1',
      inputSchema: { type: 'object', required: ['orderId'] },
      outputSchema: null,
    });
    expect(stored.limits.maxSteps).toBe(10);
    expect(stored.createdAt).toBeInstanceOf(Date);
  });

  it('returns the existing version for the same hash, and adds a version for a new one', async () => {
    const definition = sequenceDefinition('invoice', { name: 'Invoice' });
    await store.register('default', definition, compiledRoutine('v1'), 'invoice-1', 'one');
    expect(await store.register('default', definition, compiledRoutine('v1'), 'invoice-1', 'one')).toEqual({
      version: 1,
      created: false,
    });

    const renamed = { ...definition, name: 'Invoice (new)' };
    expect(await store.register('default', renamed, compiledRoutine('v2'), 'invoice-2', 'two')).toEqual({
      version: 2,
      created: true,
    });
    expect(await store.register('default', definition, compiledRoutine('v1'), 'invoice-1', 'one')).toEqual({
      version: 1,
      created: false,
    });

    expect((await store.get('default', 'invoice')).compiled.defaultProcessId).toBe('v2');
    expect((await store.get('default', 'invoice', 1)).compiled.defaultProcessId).toBe('v1');
    const summary = (await store.list('default')).find((routine) => routine.id === 'invoice');
    expect(summary).toMatchObject({ latestVersion: 2, name: 'Invoice (new)', kind: 'sequence' });
  });

  it('keeps starting the active version while a draft waits, until the draft is promoted', async () => {
    const definition = sequenceDefinition('drafted');
    await store.register('default', definition, compiledRoutine(), 'drafted-1', '[]');
    const draft = await store.register(
      'default',
      definition,
      compiledRoutine(),
      'drafted-2',
      '[]',
      undefined,
      {
        status: 'draft',
      },
    );
    expect(draft).toEqual({ version: 2, created: true });
    expect(await store.get('default', 'drafted')).toMatchObject({ version: 1, status: 'active' });
    expect(await store.get('default', 'drafted', 2)).toMatchObject({ version: 2, status: 'draft' });
    await store.promote('default', 'drafted', 2);
    expect(await store.get('default', 'drafted')).toMatchObject({ version: 2, status: 'active' });
    expect(await store.get('default', 'drafted', 1)).toMatchObject({ status: 'retired' });
  });

  it('gives concurrent registrations distinct versions, and one version per hash', async () => {
    const definition = sequenceDefinition('concurrent');
    const distinct = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.register('default', definition, compiledRoutine(), `c-${i}`, 'x'),
      ),
    );
    expect(distinct.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    const same = await Promise.all(
      Array.from({ length: 6 }, () =>
        store.register('default', definition, compiledRoutine(), 'c-same', 'x'),
      ),
    );
    expect(new Set(same.map((r) => r.version))).toEqual(new Set([9]));
    expect(same.filter((r) => r.created)).toHaveLength(1);
  });

  it('keeps tenants apart', async () => {
    await store.register('acme', sequenceDefinition('acme-only'), compiledRoutine(), 'a', 'x');
    expect((await store.list('acme')).map((routine) => routine.id)).toEqual(['acme-only']);
    expect((await store.list('default')).map((routine) => routine.id)).not.toContain('acme-only');
    await expect(store.get('default', 'acme-only')).rejects.toThrow(UnknownRoutineError);
  });

  it('names an unknown routine and the registered ids that look like it', async () => {
    const error = await store.get('default', 'order-fulfilmnt').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnknownRoutineError);
    expect((error as Error).message).toBe(
      'no routine "order-fulfilmnt"; did you mean "order-fulfilment"? (list routines with `swarmflow routine list`)',
    );
    expect(await store.get('default', 'inv').catch((caught: Error) => caught.message)).toContain(
      'did you mean "invoice"',
    );
    expect(await store.get('default', 'zzz').catch((caught: Error) => caught.message)).toBe(
      'no routine "zzz" (list routines with `swarmflow routine list`)',
    );
  });

  it('names an unknown version and the versions there are', async () => {
    const error = await store.get('default', 'invoice', 7).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnknownRoutineVersionError);
    expect((error as Error).message).toBe('routine "invoice" has no version 7; its versions are 1 to 2');
  });
});
