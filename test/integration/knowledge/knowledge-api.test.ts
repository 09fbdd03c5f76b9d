import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../client/api/server.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../../client/remote/swarmflow-client.ts';
import { PermissionDeniedError } from '../../../schema/identity.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { runCli } from '../../support/cli.ts';
import {
  handbook,
  knowledgeRoutines,
  paraphrasedGoals,
  secretPlans,
} from '../../support/knowledge-catalog.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/**
 * The knowledge base through the REST API (two tenants, each with its own keys), the remote
 * SDK, and the CLI (direct and remote). No worker: the knowledge base needs only PostgreSQL.
 */

let stack: TestStack;
let server: ApiServer;
let acme: { tenantId: string; keys: Record<'author' | 'viewer', string> };
let globex: { tenantId: string; keys: Record<'author' | 'viewer', string> };
let folder: string;

const remote = (apiKey: string) => new RemoteSwarmflowClient({ url: server.url, apiKey });

beforeAll(async () => {
  stack = await startTestStack();
  acme = await tenantWithKeys(stack, 'know-acme', ['author', 'viewer']);
  globex = await tenantWithKeys(stack, 'know-globex', ['author', 'viewer']);
  server = await startTestApiServer(stack);
  for (const routine of knowledgeRoutines)
    await stack.client.forTenant(acme.tenantId).registerRoutine(routine);
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-knowledge-'));
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('the knowledge base over REST', () => {
  it("adds documents per tenant, and a tenant's search never finds another tenant's", async () => {
    const acmeAuthor = remote(acme.keys.author);
    const globexAuthor = remote(globex.keys.author);
    expect(await acmeAuthor.knowledge.addDocument(handbook)).toMatchObject({ id: 'handbook', chunks: 1 });
    await globexAuthor.knowledge.addDocument(secretPlans);

    const query = { query: 'laptop password security', limit: 10 };
    const acmeHits = await remote(acme.keys.viewer).knowledge.search(query);
    expect(acmeHits[0]).toMatchObject({ kind: 'document', sourceId: 'handbook' });
    expect(acmeHits.map((hit) => hit.sourceId)).not.toContain('secret-plans');
    const globexHits = await remote(globex.keys.viewer).knowledge.search(query);
    expect(globexHits.map((hit) => hit.sourceId)).toEqual(['secret-plans']);

    expect((await acmeAuthor.knowledge.list({ kinds: ['document'] })).map((entry) => entry.sourceId)).toEqual(
      ['handbook'],
    );
    // Removing another tenant's document by its id removes nothing.
    expect(await acmeAuthor.knowledge.removeDocument('secret-plans')).toBe(false);
    expect(await globexAuthor.knowledge.list({ kinds: ['document'] })).toHaveLength(1);
  });

  it('finds the routine a paraphrased goal means', async () => {
    for (const { goal, routineId } of paraphrasedGoals) {
      const hits = await remote(acme.keys.viewer).knowledge.search({
        query: goal,
        kinds: ['routine'],
        limit: 3,
      });
      expect(hits[0], goal).toMatchObject({ kind: 'routine', sourceId: routineId });
    }
  });

  it('refuses a viewer adding a document, and a bad request naming the field', async () => {
    await expect(remote(acme.keys.viewer).knowledge.addDocument(handbook)).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    const response = await fetch(`${server.url}/v1/knowledge/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.keys.viewer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '', tenantId: globex.tenantId }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/query|tenantId/);
    await expect(remote(acme.keys.viewer).knowledge.search({ query: ' ' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

// Each CLI start compiles TypeScript on the fly: give a loaded machine room.
describe('swarmflow knowledge', { timeout: 240_000 }, () => {
  it('adds a file in chunks and finds it, on the database directly', async () => {
    const file = join(folder, 'travel-policy.md');
    const topics = ['trains', 'flights', 'taxis', 'meals', 'visas', 'insurance', 'luggage', 'receipts'];
    const paragraphs = topics.map(
      (topic, i) =>
        `Section ${i + 1}, ${topic}: book ${topic} through the travel desk at least a week ahead. ` +
        `Keep every confirmation for ${topic} with your trip report, and ask the desk when in doubt. `.repeat(
          3,
        ),
    );
    paragraphs.push('Hotel rooms may cost at most 150 euros a night in Berlin.');
    await writeFile(file, paragraphs.join('\n\n'));
    const env = { DATABASE_URL: stack.config.databaseUrl, SWARMFLOW_TENANT: acme.tenantId };

    const added = await runCli(['knowledge', 'add', file, '--title', 'Travel policy', '--json'], env);
    expect(added.code, added.stderr).toBe(0);
    const { id, chunks } = JSON.parse(added.stdout) as { id: string; chunks: number };
    expect(id).toBe('travel-policy');
    expect(chunks).toBeGreaterThan(1);

    const found = await runCli(
      ['knowledge', 'search', 'how much may a hotel room in Berlin cost a night', '--json'],
      env,
    );
    expect(found.code, found.stderr).toBe(0);
    const hits = JSON.parse(found.stdout) as { sourceId: string; content: string }[];
    expect(hits[0]?.sourceId).toBe('travel-policy');
    expect(hits[0]?.content).toContain('150 euros');

    const table = await runCli(
      ['knowledge', 'search', 'hotel night', '--kinds', 'document', '--limit', '1'],
      env,
    );
    expect(table.stdout).toMatch(/^SCORE\s+KIND\s+SOURCE\s+TITLE\s+TEXT/);
    expect(table.stdout).toContain('Travel policy');
  });

  it("searches over the API server with a tenant's key, and removes a document", async () => {
    const env = {};
    const key = ['--url', server.url, '--api-key', globex.keys.author];
    const found = await runCli([...key, 'knowledge', 'search', 'hotel night cost', '--json'], env);
    expect(found.code, found.stderr).toBe(0);
    expect((JSON.parse(found.stdout) as { sourceId: string }[]).map((hit) => hit.sourceId)).not.toContain(
      'travel-policy',
    );
    const removed = await runCli([...key, 'knowledge', 'remove', 'secret-plans'], env);
    expect(removed.code, removed.stderr).toBe(0);
    const again = await runCli([...key, 'knowledge', 'remove', 'secret-plans'], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('no document "secret-plans"');
  });
});
