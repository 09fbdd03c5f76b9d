import type { DataConverter } from '@temporalio/common';
import { ENCRYPTION_KEYS_VARIABLE, loadEncryptionKeys } from '../../schema/encryption.ts';
import { EncryptionCodec } from './encryption-codec.ts';

/** How this process encrypts what it sends to Temporal, and a line that says so without a secret. */
export interface PayloadEncryption {
  codec: EncryptionCodec;
  dataConverter: DataConverter;
  /** e.g. `payload encryption: on (AES-256-GCM, key "2025-06"; 2 keys decrypt)`. */
  summary: string;
}

/**
 * The payload encryption of this process, from `SWARMFLOW_ENCRYPTION_KEYS`. Every Temporal client
 * and worker Swarmflow makes gets its data converter from here. The codec is installed even with
 * no keys: it then encrypts nothing, and a payload that is encrypted fails naming its key id
 * instead of as an unknown encoding.
 * @throws EncryptionConfigError when the variable is malformed.
 */
export function loadPayloadEncryption(env: NodeJS.ProcessEnv = process.env): PayloadEncryption {
  const codec = new EncryptionCodec(loadEncryptionKeys(env));
  const current = codec.currentKeyId;
  const count = codec.keyIds.length;
  const summary =
    current === undefined
      ? `payload encryption: off (set ${ENCRYPTION_KEYS_VARIABLE} to encrypt payloads in Temporal's history)`
      : `payload encryption: on (AES-256-GCM, key "${current}"; ${count} ${count === 1 ? 'key decrypts' : 'keys decrypt'})`;
  return { codec, dataConverter: { payloadCodecs: [codec] }, summary };
}

/** The data converter for a Temporal client or worker of this process (see loadPayloadEncryption). */
export function swarmflowDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter {
  return loadPayloadEncryption(env).dataConverter;
}
