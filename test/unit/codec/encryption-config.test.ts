import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EncryptionConfigError, loadCodecToken, loadEncryptionKeys } from '../../../schema/encryption.ts';
import { loadPayloadEncryption } from '../../../workers/codec/data-converter.ts';

const secret = () => randomBytes(32).toString('base64');
const keys = (value: string) => loadEncryptionKeys({ SWARMFLOW_ENCRYPTION_KEYS: value });
const problem = (load: () => unknown) => {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(EncryptionConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('SWARMFLOW_ENCRYPTION_KEYS', () => {
  it('is off when unset or blank', () => {
    expect(loadEncryptionKeys({})).toEqual([]);
    expect(keys('  ')).toEqual([]);
    expect(loadPayloadEncryption({}).summary).toBe(
      "payload encryption: off (set SWARMFLOW_ENCRYPTION_KEYS to encrypt payloads in Temporal's history)",
    );
  });

  it('reads id:base64 entries, the first one current', () => {
    const current = secret();
    const old = secret();
    const parsed = keys(` 2025-06:${current} , 2025-01:${old}`);
    expect(parsed.map(({ id }) => id)).toEqual(['2025-06', '2025-01']);
    expect(Buffer.from(parsed[0]?.key ?? []).toString('base64')).toBe(current);
    const encryption = loadPayloadEncryption({
      SWARMFLOW_ENCRYPTION_KEYS: `2025-06:${current},2025-01:${old}`,
    });
    expect(encryption.codec.currentKeyId).toBe('2025-06');
    expect(encryption.dataConverter.payloadCodecs).toEqual([encryption.codec]);
    expect(encryption.summary).toBe('payload encryption: on (AES-256-GCM, key "2025-06"; 2 keys decrypt)');
    expect(encryption.summary).not.toContain(current);
  });

  it('names the entry and the fix, and never echoes a key', () => {
    const short = randomBytes(16).toString('base64');
    const message = problem(() => keys(`k1:${short}`));
    expect(message).toBe(
      'invalid SWARMFLOW_ENCRYPTION_KEYS:\n' +
        '  - entry 1 (key id "k1") is not 32 bytes in base64; make one with `openssl rand -base64 32`',
    );
    expect(message).not.toContain(short);
    expect(problem(() => keys(secret()))).toContain('entry 1 is not of the form <key id>:<base64 key>');
    expect(problem(() => keys(`k1:${secret()},:${secret()}`))).toContain('entry 2 has a key id that is not');
    expect(problem(() => keys(`k 1:${secret()}`))).toContain('entry 1 has a key id');
    expect(problem(() => keys('k1:not base64!'))).toContain('(key id "k1") is not 32 bytes');
    expect(problem(() => keys(`k1:${secret()},`))).toContain('entry 2 is not of the form');
    expect(problem(() => keys(`k1:${secret()},k1:${secret()}`))).toContain('key id "k1" appears twice');
  });
});

describe('SWARMFLOW_CODEC_TOKEN', () => {
  it('is undefined when unset, and at least 16 printable characters when set', () => {
    expect(loadCodecToken({})).toBeUndefined();
    expect(loadCodecToken({ SWARMFLOW_CODEC_TOKEN: 'a-long-enough-token' })).toBe('a-long-enough-token');
    const message = problem(() => loadCodecToken({ SWARMFLOW_CODEC_TOKEN: 'tiny-token' }));
    expect(message).toContain('SWARMFLOW_CODEC_TOKEN');
    expect(message).toContain('at least 16 characters');
    expect(message).not.toContain('tiny-token');
    expect(problem(() => loadCodecToken({ SWARMFLOW_CODEC_TOKEN: 'has a space in the middle' }))).toContain(
      'printable ASCII',
    );
  });
});
