import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../schema/fingerprint.ts';

describe('fingerprint', () => {
  it('is 64-bit FNV-1a, as 16 hex digits (the published test vectors)', () => {
    expect(fingerprint('')).toBe('cbf29ce484222325');
    expect(fingerprint('a')).toBe('af63dc4c8601ec8c');
    expect(fingerprint('foobar')).toBe('85944171f73967e8');
  });

  it('tells different texts apart and gives equal texts the same name', () => {
    const prompt = JSON.stringify([{ role: 'user', content: 'Price 3 units of sku a' }]);
    expect(fingerprint(prompt)).toBe(fingerprint(`${prompt}`));
    expect(fingerprint(prompt)).not.toBe(fingerprint(prompt.replace('3', '4')));
  });
});
