import { describe, expect, it } from 'vitest';
import { REDACTED, redactForLog, redactText } from '../../../client/logging/redact.ts';
import { Secret } from '../../../schema/temporal-security.ts';
import { EncryptionCodec } from '../../../workers/codec/encryption-codec.ts';

describe('redactForLog', () => {
  it('hides values under secret-looking keys at any depth, whatever their case and separators', () => {
    const logged = redactForLog({
      apiKey: 'sk-live-1',
      config: {
        models: [{ name: 'gpt', OPENAI_API_KEY: 'k1', headers: { Authorization: 'Bearer abc.def.ghi' } }],
        database: { password: 'hunter2', user: 'swarm' },
      },
      SWARMFLOW_ENCRYPTION_KEYS: '2025:AAAA',
      encryptionKeys: [{ id: 'k', key: new Uint8Array(32) }],
      codec_token: 't',
      client_secret: 's',
      set_cookie: 'c',
      inputTokens: 12,
      keyId: '2025',
    });
    expect(logged).toEqual({
      apiKey: REDACTED,
      config: {
        models: [{ name: 'gpt', OPENAI_API_KEY: REDACTED, headers: { Authorization: REDACTED } }],
        database: { password: REDACTED, user: 'swarm' },
      },
      SWARMFLOW_ENCRYPTION_KEYS: REDACTED,
      encryptionKeys: REDACTED,
      codec_token: REDACTED,
      client_secret: REDACTED,
      set_cookie: REDACTED,
      inputTokens: 12,
      keyId: '2025',
    });
  });

  it('scrubs credentials out of text: bearer tokens, sk- keys, key=value pairs', () => {
    expect(redactText('GET failed with Authorization: Bearer eyJhbGciOi.payload.sig')).toBe(
      `GET failed with Authorization: Bearer ${REDACTED}`,
    );
    expect(redactText('invalid key sk-proj-abcdefghijklmnop given')).toBe(`invalid key ${REDACTED} given`);
    expect(redactText('url?api_key=abcd1234&x=1 password: hunter22')).toBe(
      `url?api_key=${REDACTED}&x=1 password: ${REDACTED}`,
    );
    expect(redactText('the run took 12 s')).toBe('the run took 12 s');
  });

  it('turns errors into plain objects with their own fields and causes redacted', () => {
    const cause = Object.assign(new Error('upstream said Bearer abcdefghijkl'), { token: 'tok' });
    const error = Object.assign(new Error('call failed', { cause }), { apiKey: 'k', status: 401 });
    const logged = redactForLog({ error }) as { error: Record<string, unknown> };
    expect(logged.error).toMatchObject({
      type: 'Error',
      message: 'call failed',
      apiKey: REDACTED,
      status: 401,
      cause: { type: 'Error', message: `upstream said Bearer ${REDACTED}`, token: REDACTED },
    });
    expect(logged.error.stack).toMatch(/call failed/);
  });

  it('replaces encrypted payloads (the codec marks them binary/encrypted) by a description without bytes', async () => {
    const codec = new EncryptionCodec([{ id: 'k-2025', key: new Uint8Array(32).fill(7) }]);
    const [payload] = await codec.encode([
      { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"card":"4111"}') },
    ]);
    const asJson = {
      metadata: { encoding: Buffer.from('binary/encrypted').toString('base64') },
      data: 'AAAA',
    };
    expect(redactForLog({ input: { payloads: [payload] }, raw: asJson })).toEqual({
      input: { payloads: ['[encrypted payload, key "k-2025"]'] },
      raw: '[encrypted payload]',
    });
  });

  it('keeps plain values, shows bytes by their length, asks Secret for its JSON and cuts cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(
      redactForLog({ n: 1, ok: true, none: null, bytes: Buffer.from('abc'), key: new Secret('x'), cyclic }),
    ).toEqual({
      n: 1,
      ok: true,
      none: null,
      bytes: '[3 bytes]',
      key: REDACTED,
      cyclic: { name: 'a', self: '[circular]' },
    });
  });
});
