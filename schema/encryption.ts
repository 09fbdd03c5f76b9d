import { z } from 'zod';

/** The variable that holds the payload encryption keys: `id:base64key,...`, the first one current. */
export const ENCRYPTION_KEYS_VARIABLE = 'SWARMFLOW_ENCRYPTION_KEYS';
/** The variable that holds the bearer token the codec server asks for. */
export const CODEC_TOKEN_VARIABLE = 'SWARMFLOW_CODEC_TOKEN';

const KEY_BYTES = 32;
const keyIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;
const generateKey = 'openssl rand -base64 32';

/** One AES-256 key and the id that payloads encrypted with it carry. */
export interface EncryptionKey {
  id: string;
  key: Uint8Array;
}

/** A configuration problem with payload encryption; the message names the variable and the fix, never a secret. */
export class EncryptionConfigError extends Error {
  override readonly name = 'EncryptionConfigError';
}

// Each message names the entry by its position and key id only: the key material is never echoed.
const KeyEntry = z.string().transform((entry, context): EncryptionKey => {
  const colon = entry.indexOf(':');
  const id = colon < 0 ? '' : entry.slice(0, colon).trim();
  const encoded = colon < 0 ? '' : entry.slice(colon + 1).trim();
  if (!keyIdPattern.test(id)) {
    context.addIssue({
      code: 'custom',
      message:
        colon < 0
          ? 'is not of the form <key id>:<base64 key>'
          : 'has a key id that is not 1-64 letters, digits, ".", "_" or "-" (starting with a letter or digit)',
    });
    return z.NEVER;
  }
  const key = base64Pattern.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
  if (key?.length !== KEY_BYTES) {
    context.addIssue({
      code: 'custom',
      message: `(key id "${id}") is not ${KEY_BYTES} bytes in base64; make one with \`${generateKey}\``,
    });
    return z.NEVER;
  }
  return { id, key: new Uint8Array(key) };
});

const EncryptionKeys = z
  .array(KeyEntry)
  .superRefine((keys, context) => {
    const seen = new Set<string>();
    for (const { id } of keys) {
      if (seen.has(id)) context.addIssue({ code: 'custom', message: `key id "${id}" appears twice` });
      seen.add(id);
    }
  })
  .readonly();

const CodecToken = z
  .string()
  .min(16, `is too short: use at least 16 characters, e.g. \`${generateKey}\``)
  .regex(/^[\x21-\x7e]+$/, 'may hold only printable ASCII without spaces');

function fail(variable: string, issues: z.core.$ZodIssue[]): never {
  const problems = issues.map((issue) => {
    const entry = typeof issue.path[0] === 'number' ? `entry ${issue.path[0] + 1} ` : '';
    return `  - ${entry}${issue.message}`;
  });
  throw new EncryptionConfigError(`invalid ${variable}:\n${problems.join('\n')}`);
}

/**
 * The payload encryption keys from `SWARMFLOW_ENCRYPTION_KEYS` (`id1:base64,id2:base64`, the first
 * one encrypts, all of them decrypt); empty when the variable is unset, which means no encryption.
 * @throws EncryptionConfigError naming the entry and the fix, never the key material.
 */
export function loadEncryptionKeys(env: NodeJS.ProcessEnv = process.env): readonly EncryptionKey[] {
  const value = env[ENCRYPTION_KEYS_VARIABLE]?.trim();
  if (!value) return [];
  const entries = value.split(',').map((entry) => entry.trim());
  const result = EncryptionKeys.safeParse(entries);
  if (!result.success) fail(ENCRYPTION_KEYS_VARIABLE, result.error.issues);
  return result.data;
}

/** The codec server's bearer token from `SWARMFLOW_CODEC_TOKEN`; undefined when unset. */
export function loadCodecToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[CODEC_TOKEN_VARIABLE]?.trim();
  if (!value) return undefined;
  const result = CodecToken.safeParse(value);
  if (!result.success) fail(CODEC_TOKEN_VARIABLE, result.error.issues);
  return result.data;
}
