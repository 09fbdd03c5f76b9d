import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ChainChecker,
  entryHash,
  genesisHash,
  type HashedFields,
  redactSecrets,
} from '../../../activities/store/audit-chain.ts';
import { parseWhen } from '../../../client/cli/commands/audit.ts';
import type { AuditEntry } from '../../../schema/audit.ts';

const fields = (tenantSeq: number, tenant = 'acme'): HashedFields => ({
  tenant,
  tenantSeq,
  actor: { kind: 'api-key', id: 'key_1' },
  action: 'runs.start',
  target: { kind: 'run', id: `run-${tenantSeq}` },
  requestId: `req-${tenantSeq}`,
  outcome: 'ok',
  status: 201,
  at: `2025-06-01T00:00:0${tenantSeq % 10}.000Z`,
  details: { routine: 'greeting', input: { b: 2, a: [1, { y: true, x: null }] } },
});

/** A well-formed chain of `length` entries for one tenant, `seq` starting at `firstSeq`. */
function chain(length: number, tenant = 'acme', firstSeq = 1): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = genesisHash;
  for (let position = 1; position <= length; position++) {
    const entryFields = fields(position, tenant);
    const hash = entryHash(prevHash, entryFields);
    entries.push({ seq: firstSeq + position - 1, ...entryFields, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

function firstBreak(entries: AuditEntry[], heads?: Map<string, { length: number; lastHash: string | null }>) {
  const checker = new ChainChecker();
  for (const entry of entries) {
    const found = checker.check(entry);
    if (found) return found;
  }
  return heads ? checker.checkHeads(heads) : undefined;
}

const headOf = (entries: AuditEntry[]) =>
  new Map([['acme', { length: entries.length, lastHash: entries.at(-1)?.hash ?? null }]]);

/** The same value with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, entry]) => [key, reverseKeys(entry)]),
  );
}

describe('entryHash', () => {
  it('is sha256 of the previous hash and the canonical JSON of the fields', () => {
    const hash = entryHash(genesisHash, fields(1));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const canonical =
      '{"action":"runs.start","actor":{"id":"key_1","kind":"api-key"},"at":"2025-06-01T00:00:01.000Z",' +
      '"details":{"input":{"a":[1,{"x":null,"y":true}],"b":2},"routine":"greeting"},"outcome":"ok",' +
      '"requestId":"req-1","status":201,"target":{"id":"run-1","kind":"run"},"tenant":"acme","tenantSeq":1,"v":1}';
    expect(hash).toBe(
      createHash('sha256')
        .update(genesisHash + canonical)
        .digest('hex'),
    );
  });

  it('ignores key order and absent optional fields, but not content or the previous hash', () => {
    const base = fields(1);
    const reordered = reverseKeys(base) as HashedFields;
    expect(entryHash(genesisHash, reordered)).toBe(entryHash(genesisHash, base));
    expect(entryHash(genesisHash, { ...base, reason: undefined })).toBe(entryHash(genesisHash, base));
    expect(entryHash(genesisHash, { ...base, outcome: 'denied' })).not.toBe(entryHash(genesisHash, base));
    expect(entryHash('1'.repeat(64), base)).not.toBe(entryHash(genesisHash, base));
  });
});

describe('redactSecrets', () => {
  it('hides values under secret-looking keys at any depth, and keeps the rest', () => {
    const details = {
      apiKey: 'sk-1',
      api_key: 'sk-2',
      headers: { Authorization: 'Bearer x', 'x-request-id': 'r1' },
      list: [{ password: 'p', name: 'n' }],
      client_secret: 's',
      refreshToken: 't',
      maxTokens: 100,
      usage: { tokens: 12 },
    };
    const hidden = '[redacted]';
    expect(redactSecrets(details)).toEqual({
      ...details,
      apiKey: hidden,
      api_key: hidden,
      headers: { Authorization: hidden, 'x-request-id': 'r1' },
      list: [{ password: hidden, name: 'n' }],
      client_secret: hidden,
      refreshToken: hidden,
    });
  });
});

describe('ChainChecker', () => {
  it('accepts a whole chain, and chains of several tenants interleaved', () => {
    const entries = chain(5);
    expect(firstBreak(entries, headOf(entries))).toBeUndefined();
    const other = chain(3, 'globex', 100);
    const checker = new ChainChecker();
    for (const entry of [other[0], entries[0], other[1], entries[1], other[2]] as AuditEntry[]) {
      expect(checker.check(entry)).toBeUndefined();
    }
    expect(checker.entries).toBe(5);
    expect(checker.tenantCount).toBe(2);
  });

  it('names an edited entry', () => {
    const entries = chain(5);
    entries[2] = { ...(entries[2] as AuditEntry), outcome: 'denied' };
    expect(firstBreak(entries)).toMatchObject({ brokenAt: 3, reason: 'edited', tenant: 'acme' });
  });

  it('names the entry after a rewritten one whose hash was recomputed', () => {
    const entries = chain(5);
    const {
      seq: _seq,
      prevHash,
      hash: _hash,
      ...edited
    } = { ...(entries[1] as AuditEntry), action: 'runs.cancel' };
    entries[1] = { ...(entries[1] as AuditEntry), action: 'runs.cancel', hash: entryHash(prevHash, edited) };
    expect(firstBreak(entries)).toMatchObject({ brokenAt: 3, reason: 'edited' });
  });

  it('names the entry after a deleted one', () => {
    const entries = chain(5);
    entries.splice(2, 1);
    expect(firstBreak(entries)).toMatchObject({ brokenAt: 4, reason: 'deleted' });
    expect(firstBreak(entries)?.message).toMatch(/position 3 is missing/);
  });

  it('names moved entries', () => {
    const entries = chain(5);
    const [third, fourth] = [entries[2] as AuditEntry, entries[3] as AuditEntry];
    entries[2] = { ...fourth, seq: third.seq };
    entries[3] = { ...third, seq: fourth.seq };
    expect(firstBreak(entries)).toMatchObject({ brokenAt: 3, reason: 'deleted' });
    const duplicated = chain(3);
    duplicated.push({ ...(duplicated[2] as AuditEntry), seq: 4 });
    expect(firstBreak(duplicated)).toMatchObject({ brokenAt: 4, reason: 'reordered' });
  });

  it('checks an export that starts mid-chain from its first entry', () => {
    const tail = chain(5).slice(2);
    expect(firstBreak(tail)).toMatchObject({ brokenAt: 3, reason: 'deleted' });
    const checker = new ChainChecker(true);
    expect(tail.map((entry) => checker.check(entry))).toEqual([undefined, undefined, undefined]);
    const edited = { ...(tail[0] as AuditEntry), action: 'runs.cancel' };
    expect(new ChainChecker(true).check(edited)).toMatchObject({ brokenAt: 3, reason: 'edited' });
  });

  it('catches a deleted tail, and a tail written around the head', () => {
    const entries = chain(5);
    const heads = headOf(entries);
    expect(firstBreak(entries.slice(0, 3), heads)).toMatchObject({ brokenAt: 3, reason: 'deleted' });
    expect(firstBreak([], heads)).toMatchObject({ brokenAt: 0, reason: 'deleted' });
    expect(firstBreak(entries, headOf(entries.slice(0, 4)))).toMatchObject({ brokenAt: 5, reason: 'edited' });
  });
});

describe('parseWhen', () => {
  const now = Date.parse('2025-06-10T12:00:00Z');

  it('reads ISO times and dates, and durations back from now', () => {
    expect(parseWhen('2025-06-01T08:30:00Z', '--since', now).toISOString()).toBe('2025-06-01T08:30:00.000Z');
    expect(parseWhen('2025-06-01', '--since', now).toISOString()).toBe('2025-06-01T00:00:00.000Z');
    expect(parseWhen('P1D', '--since', now).toISOString()).toBe('2025-06-09T12:00:00.000Z');
    expect(parseWhen('PT2H', '--since', now).toISOString()).toBe('2025-06-10T10:00:00.000Z');
  });

  it('refuses anything else, naming the option', () => {
    expect(() => parseWhen('yesterday', '--since', now)).toThrow(/--since/);
    expect(() => parseWhen('2025-13-45', '--until', now)).toThrow(/--until/);
  });
});
