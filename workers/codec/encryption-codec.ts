import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { ENCRYPTION_KEYS_VARIABLE, type EncryptionKey } from '../../schema/encryption.ts';

/** The `encoding` of an encrypted payload; the payload converter never sees it, the codec takes it off. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata field naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = proto.temporal.api.common.v1.Payload;

/** An encrypted payload that cannot be decrypted: unknown key id, wrong key, or tampered data. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
  constructor(
    message: string,
    readonly keyId: string | undefined,
  ) {
    super(message);
  }
}

/**
 * A Temporal payload codec that encrypts each payload whole (data and metadata, serialised as
 * Temporal's Payload protobuf) with AES-256-GCM under the current key and a random 12-byte IV.
 * The result's data is IV ‖ ciphertext ‖ tag, the same layout as Temporal's Go and Python
 * encryption samples, and its metadata names the key, so decoding picks the key by id: a rotation
 * (a new key first, the old ones kept after it) leaves every older payload readable. Payloads that
 * are not encrypted (histories from before encryption was turned on) decode as they are. With no
 * keys, encoding leaves payloads as they are, and an encrypted payload fails to decode naming its key.
 *
 * No I/O and no logging: it only turns bytes into bytes, so workers, clients and the codec server share it.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Uint8Array>;
  private readonly current: EncryptionKey | undefined;

  /** `keys[0]` encrypts; every key decrypts the payloads that carry its id. */
  constructor(keys: readonly EncryptionKey[]) {
    this.keys = new Map(keys.map(({ id, key }) => [id, key]));
    this.current = keys[0];
  }

  /** The id new payloads are encrypted with; undefined when encryption is off. */
  get currentKeyId(): string | undefined {
    return this.current?.id;
  }

  /** Every configured key id, current first. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const current = this.current;
    if (!current) return payloads;
    const keyId = Buffer.from(current.id);
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, current.key, iv);
      const plain = ProtoPayload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: keyId },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decodeOne(payload));
  }

  private decodeOne(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || Buffer.from(encoding).toString() !== ENCRYPTED_ENCODING) return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    const keyId = idBytes ? Buffer.from(idBytes).toString() : undefined;
    if (keyId === undefined)
      throw new PayloadDecryptionError(
        `an encrypted payload has no "${KEY_ID_METADATA}" metadata: it was not written by this codec`,
        undefined,
      );
    const key = this.keys.get(keyId);
    if (!key) throw new PayloadDecryptionError(this.unknownKeyMessage(keyId), keyId);
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new PayloadDecryptionError(
        `an encrypted payload (key id "${keyId}") is ${data.length} bytes, too short to hold an IV and a tag`,
        keyId,
      );
    const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new PayloadDecryptionError(
        `an encrypted payload failed authentication with key id "${keyId}": either it was altered, or the key ` +
          `${ENCRYPTION_KEYS_VARIABLE} gives for "${keyId}" is not the one it was encrypted with`,
        keyId,
      );
    }
    const { metadata, data: decoded, externalPayloads } = ProtoPayload.decode(plain);
    return { metadata, data: decoded, ...(externalPayloads.length > 0 ? { externalPayloads } : {}) };
  }

  private unknownKeyMessage(keyId: string): string {
    const holds = this.keyIds;
    if (holds.length === 0)
      return (
        `a payload is encrypted with key id "${keyId}", but ${ENCRYPTION_KEYS_VARIABLE} is not set: ` +
        `set it to "${keyId}:<base64 key>" (or to "<new id>:<new key>,${keyId}:<base64 key>" to rotate)`
      );
    return (
      `a payload is encrypted with key id "${keyId}", which ${ENCRYPTION_KEYS_VARIABLE} does not hold ` +
      `(it holds ${holds.map((id) => `"${id}"`).join(', ')}): add "${keyId}:<base64 key>" after the current key`
    );
  }
}
