import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { routineHash } from '../../../compiler/index.ts';

describe('routineHash', () => {
  it('hashes BPMN as its XML text', () => {
    const xml = '<bpmn:definitions />';
    expect(routineHash({ kind: 'bpmn', xml })).toBe(createHash('sha256').update(xml).digest('hex'));
  });

  it('hashes steps as canonical JSON: key order does not matter, content does', () => {
    const hash = routineHash({
      kind: 'sequence',
      steps: [{ id: 'a', type: 'echo', headers: { b: '2', a: '1' } }],
    });
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      routineHash({
        kind: 'sequence',
        steps: [{ headers: { a: '1', b: '2' }, type: 'echo', id: 'a', name: undefined }],
      }),
    ).toBe(hash);
    expect(
      createHash('sha256').update('[{"headers":{"a":"1","b":"2"},"id":"a","type":"echo"}]').digest('hex'),
    ).toBe(hash);
    expect(
      routineHash({ kind: 'sequence', steps: [{ id: 'a', type: 'echo', headers: { a: '1', b: '3' } }] }),
    ).not.toBe(hash);
  });
});
