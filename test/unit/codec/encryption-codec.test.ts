import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { EncryptionKey } from '../../../schema/encryption.ts';
import {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA,
  PayloadDecryptionError,
} from '../../../workers/codec/encryption-codec.ts';

const key = (id: string): EncryptionKey => ({ id, key: new Uint8Array(randomBytes(32)) });
const january = key('2025-01');
const june = key('2025-06');
const input = { name: 'Ada', prompt: 'a secret plan' };
const payload = (value: unknown = input): Payload => defaultPayloadConverter.toPayload(value);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString();
const value = (decoded: Payload) => defaultPayloadConverter.fromPayload(decoded);

async function encodeOne(codec: EncryptionCodec, plain = payload()): Promise<Payload> {
  const [encoded] = await codec.encode([plain]);
  if (!encoded) throw new Error('no payload');
  return encoded;
}

describe('EncryptionCodec', () => {
  it('round-trips payloads, metadata included, and hides their data', async () => {
    const codec = new EncryptionCodec([june]);
    const plain = [payload(), payload('Ada'), payload(null), payload(new Uint8Array([1, 2, 3]))];
    const encoded = await codec.encode(plain);
    for (const one of encoded) {
      expect(text(one.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(one.metadata?.[KEY_ID_METADATA])).toBe('2025-06');
      expect(text(one.data)).not.toContain('Ada');
    }
    const decoded = await codec.decode(encoded);
    expect(decoded.map(value)).toEqual([input, 'Ada', null, new Uint8Array([1, 2, 3])]);
    expect(decoded.map((one) => text(one.metadata?.encoding))).toEqual(
      plain.map((one) => text(one.metadata?.encoding)),
    );
  });

  it('encrypts the same payload differently every time (a random IV each)', async () => {
    const codec = new EncryptionCodec([june]);
    const encoded = await codec.encode(Array.from({ length: 50 }, () => payload()));
    const datas = new Set(encoded.map((one) => Buffer.from(one.data ?? []).toString('base64')));
    const ivs = new Set(
      encoded.map((one) =>
        Buffer.from(one.data ?? [])
          .subarray(0, 12)
          .toString('base64'),
      ),
    );
    expect(datas.size).toBe(50);
    expect(ivs.size).toBe(50);
  });

  it('refuses a payload whose ciphertext, IV or tag was altered', async () => {
    const codec = new EncryptionCodec([june]);
    const encoded = await encodeOne(codec);
    const length = encoded.data?.length ?? 0;
    for (const at of [0, 12, Math.floor(length / 2), length - 1]) {
      const data = Buffer.from(encoded.data ?? []);
      data[at] = (data[at] ?? 0) ^ 1;
      await expect(codec.decode([{ ...encoded, data }])).rejects.toThrow(
        /failed authentication with key id "2025-06": either it was altered/,
      );
    }
    await expect(codec.decode([{ ...encoded, data: new Uint8Array(10) }])).rejects.toThrow(/too short/);
  });

  it('refuses a payload under the right id but another key', async () => {
    const encoded = await encodeOne(new EncryptionCodec([june]));
    const impostor = new EncryptionCodec([key('2025-06')]);
    await expect(impostor.decode([encoded])).rejects.toThrow(/SWARMFLOW_ENCRYPTION_KEYS gives for "2025-06"/);
  });

  it('names an unknown key id and the variable that supplies it', async () => {
    const encoded = await encodeOne(new EncryptionCodec([january]));
    const other = new EncryptionCodec([june]);
    const error = await other.decode([encoded]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    expect(error).toMatchObject({ keyId: '2025-01' });
    expect((error as Error).message).toBe(
      'a payload is encrypted with key id "2025-01", which SWARMFLOW_ENCRYPTION_KEYS does not hold ' +
        '(it holds "2025-06"): add "2025-01:<base64 key>" after the current key',
    );
    await expect(new EncryptionCodec([]).decode([encoded])).rejects.toThrow(
      'a payload is encrypted with key id "2025-01", but SWARMFLOW_ENCRYPTION_KEYS is not set',
    );
  });

  it('after a rotation, encrypts with the new key and still decrypts what the old one encrypted', async () => {
    const before = new EncryptionCodec([january]);
    const old = await encodeOne(before);
    const rotated = new EncryptionCodec([june, january]);
    expect(rotated.currentKeyId).toBe('2025-06');
    const fresh = await encodeOne(rotated);
    expect(text(fresh.metadata?.[KEY_ID_METADATA])).toBe('2025-06');
    expect((await rotated.decode([old, fresh])).map(value)).toEqual([input, input]);
    await expect(before.decode([fresh])).rejects.toThrow(/key id "2025-06"/);
  });

  it('passes unencrypted payloads through decode, and encodes nothing without keys', async () => {
    const plain = [payload(), payload('Ada'), {}];
    expect(await new EncryptionCodec([june]).decode(plain)).toEqual(plain);
    const off = new EncryptionCodec([]);
    expect(off.currentKeyId).toBeUndefined();
    expect(await off.encode(plain)).toEqual(plain);
    expect(await off.decode(plain)).toEqual(plain);
  });

  it('refuses an encrypted payload that names no key', async () => {
    const encoded = await encodeOne(new EncryptionCodec([june]));
    const { [KEY_ID_METADATA]: _dropped, ...metadata } = encoded.metadata ?? {};
    await expect(new EncryptionCodec([june]).decode([{ ...encoded, metadata }])).rejects.toThrow(
      /has no "encryption-key-id" metadata/,
    );
  });
});
