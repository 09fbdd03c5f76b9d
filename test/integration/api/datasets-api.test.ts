import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routineInsights } from '../../../activities/insights/routine-insights.ts';
import {
  UnknownDatasetError,
  UnknownDatasetVersionError,
} from '../../../activities/store/datasets/dataset-errors.ts';
import type { ApiServer } from '../../../client/api/server.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../../client/remote/swarmflow-client.ts';
import { PermissionDeniedError } from '../../../schema/identity.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { seedInsights } from '../insights/insights-seed.ts';

/** Datasets and insights through the REST API and the remote SDK, each tenant alone with its own. */

let stack: TestStack;
let server: ApiServer;
let a: { tenantId: string; keys: Record<'author' | 'viewer', string> };
let b: { tenantId: string; keys: Record<'author' | 'viewer', string> };

beforeAll(async () => {
  stack = await startTestStack();
  a = await tenantWithKeys(stack, 'datasets-a', ['author', 'viewer']);
  b = await tenantWithKeys(stack, 'datasets-b', ['author', 'viewer']);
  server = await startTestApiServer(stack);
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

const remote = (apiKey: string) => new RemoteSwarmflowClient({ url: server.url, apiKey });

describe('datasets over the REST API', () => {
  it('creates, adds, splits, shows and exports versions, as the direct SDK sees them', async () => {
    const client = remote(a.keys.author);
    expect(
      await client.datasets.create(
        'faq',
        { jsonl: '{"input":{"q":"hours?"},"expected":"9-5"}\n{"input":{"q":"where?"}}\n', file: 'faq.jsonl' },
        { description: 'support questions' },
      ),
    ).toEqual({ datasetId: 'faq', version: 1, caseCount: 2 });
    expect(await client.datasets.add('faq', [{ input: { q: 'price?' }, tags: ['sales'] }])).toEqual({
      datasetId: 'faq',
      version: 2,
      caseCount: 3,
    });
    const split = await client.datasets.split('faq', { validationShare: 0.5, seed: 'x' });
    expect(split).toMatchObject({ version: 3, caseCount: 3 });
    expect(split.train + split.validation).toBe(3);

    const shown = await client.datasets.show('faq', { version: 3 });
    expect(shown.createdAt).toBeInstanceOf(Date);
    expect(shown.createdBy).toMatch(/^api-key:/);
    expect(shown.origin).toEqual({ kind: 'split', fromVersion: 2, validationShare: 0.5, seed: 'x' });
    const direct = stack.client.forTenant(a.tenantId).datasets;
    expect(await direct.show('faq', { version: 3 })).toEqual(shown);
    expect(await client.datasets.export('faq', { version: 2 })).toBe(
      await direct.export('faq', { version: 2 }),
    );
    expect((await client.datasets.versions('faq')).map((v) => v.origin.kind)).toEqual([
      'jsonl',
      'manual',
      'split',
    ]);
    expect(await remote(a.keys.viewer).datasets.list()).toMatchObject([
      { datasetId: 'faq', latestVersion: 3, caseCount: 3, description: 'support questions' },
    ]);
  });

  it('throws the same errors as the direct SDK, and keeps writes to routines:write', async () => {
    const client = remote(a.keys.author);
    const bad = await client.datasets.create('bad', { jsonl: '{"input":1}\n' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).problems).toEqual([expect.stringMatching(/^line 1: input: /)]);
    await expect(client.datasets.show('fa')).rejects.toEqual(new UnknownDatasetError('fa', ['faq']));
    await expect(client.datasets.show('faq', { version: 9 })).rejects.toEqual(
      new UnknownDatasetVersionError('faq', 9, 3),
    );
    await expect(remote(a.keys.viewer).datasets.add('faq', [{ input: {} }])).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
  });

  it("keeps tenants apart: another tenant can neither see nor change a tenant's dataset", async () => {
    const other = remote(b.keys.author);
    expect(await other.datasets.list()).toEqual([]);
    await expect(other.datasets.show('faq')).rejects.toBeInstanceOf(UnknownDatasetError);
    await expect(other.datasets.add('faq', [{ input: {} }])).rejects.toBeInstanceOf(UnknownDatasetError);
    await expect(other.datasets.split('faq', { validationShare: 0.5 })).rejects.toBeInstanceOf(
      UnknownDatasetError,
    );
    expect((await remote(a.keys.viewer).datasets.show('faq')).caseCount).toBe(3);
  });
});

describe('insights over the REST API', () => {
  it("reports the tenant's runs of a routine as the read models tell, and nothing of another tenant", async () => {
    await seedInsights(stack.client.db, a.tenantId);
    const report = await remote(a.keys.viewer).insights('quote');
    expect(report).toEqual(await routineInsights(stack.client.db, a.tenantId, 'quote'));
    expect(report.failureClusters.map((c) => c.count)).toEqual([2, 1]);
    expect(report.chainCandidates).toHaveLength(1);
    const since = await remote(a.keys.viewer).insights('quote', { since: new Date('2026-01-01T00:55:00Z') });
    expect(since.runs).toBe(3);
    expect(await remote(b.keys.viewer).insights('quote')).toMatchObject({ runs: 0, failureClusters: [] });
  });
});
