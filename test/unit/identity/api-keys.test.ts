import { describe, expect, it } from 'vitest';
import { hashSecret, verifySecret } from '../../../activities/store/key-hash.ts';
import { formatApiKey, parseApiKey, parseExpiry } from '../../../schema/identity.ts';

describe('API key format', () => {
  const secret = 'a_b-'.repeat(10).concat('xyz'); // 43 characters, "_" and "-" included

  it('round-trips sfk_<id>_<secret>, whatever base64url characters the secret holds', () => {
    const key = formatApiKey('abc123def456', secret);
    expect(key).toBe(`sfk_abc123def456_${secret}`);
    expect(parseApiKey(key)).toEqual({ id: 'abc123def456', secret });
  });

  it.each([
    ['no prefix', `abc123def456_${secret}`],
    ['another prefix', `sk_abc123def456_${secret}`],
    ['short id', `sfk_abc123_${secret}`],
    ['uppercase id', `sfk_ABC123DEF456_${secret}`],
    ['short secret', 'sfk_abc123def456_short'],
    ['long secret', `sfk_abc123def456_${secret}x`],
    ['bad character', `sfk_abc123def456_${secret.slice(1)}+`],
    ['empty', ''],
    ['trailing space', `sfk_abc123def456_${secret} `],
  ])('refuses %s', (_, key) => {
    expect(parseApiKey(key)).toBeUndefined();
  });
});

describe('expiry', () => {
  const now = new Date('2026-06-01T12:00:00Z');

  it.each([
    ['12h', '2026-06-02T00:00:00.000Z'],
    ['90d', '2026-08-30T12:00:00.000Z'],
    ['2w', '2026-06-15T12:00:00.000Z'],
    ['2026-12-31', '2026-12-31T00:00:00.000Z'],
    ['2026-06-01T18:30:00Z', '2026-06-01T18:30:00.000Z'],
  ])('%s is %s', (text, expected) => {
    expect(parseExpiry(text, now).toISOString()).toBe(expected);
  });

  it.each([
    ['0d', /no time at all/],
    ['3x', /neither a span/],
    ['90', /neither a span/],
    ['-1d', /neither a span/],
    ['2026-02-30', /neither a span/],
    ['tomorrow', /neither a span/],
    ['2026-01-01', /2026-01-01T00:00:00.000Z, which has passed/],
    ['2026-06-01T12:00:00Z', /has passed/],
  ])('refuses %s', (text, message) => {
    expect(() => parseExpiry(text, now)).toThrow(message);
  });
});

describe('secret hashes', () => {
  const small = { N: 1024, r: 8, p: 1 };

  it('store scrypt$N$r$p$salt$hash and verify only the same secret', async () => {
    const hash = await hashSecret('the secret', small);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifySecret('the secret', hash)).toBe(true);
    expect(await verifySecret('the secreT', hash)).toBe(false);
    expect(await verifySecret('', hash)).toBe(false);
  });

  it('salt each hash afresh', async () => {
    const [a, b] = await Promise.all([hashSecret('same', small), hashSecret('same', small)]);
    expect(a).not.toBe(b);
    expect(await verifySecret('same', b)).toBe(true);
  });

  it('verify with the parameters stored in the hash, so old keys survive raised defaults', async () => {
    const hash = await hashSecret('old key', { N: 2048, r: 4, p: 2 });
    expect(await verifySecret('old key', hash)).toBe(true);
  });

  it('refuse stored values they cannot read', async () => {
    for (const stored of [
      '',
      'bcrypt$x',
      'scrypt$0$8$1$c2FsdA$aGFzaA',
      'scrypt$abc$8$1$c2FsdA$aGFzaA',
      'scrypt$1024$8$1$c2FsdA',
    ]) {
      expect(await verifySecret('x', stored)).toBe(false);
    }
  });

  it('use the default parameters when none are given', async () => {
    expect(await hashSecret('x')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });
});
