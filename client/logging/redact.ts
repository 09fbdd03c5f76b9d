import { ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../workers/codec/encryption-codec.ts';

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Key names whose values are credentials, compared without case, dashes or underscores: API keys,
 * Authorization headers, passwords, tokens, secrets, cookies, private and encryption keys
 * (`SWARMFLOW_ENCRYPTION_KEYS`, `TEMPORAL_API_KEY` and `SWARMFLOW_CODEC_TOKEN` included).
 */
const secretKey =
  /secret|password|passphrase|passwd|apikeys?$|authorization|cookie|privatekey|credential|encryptionkeys?$|token$/;

/**
 * Well-known places of secrets, for pino's `redact` (exact paths, one level of `*`); everything
 * else is found by key name at any depth by `redactForLog`.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  '*.headers.authorization',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

/** Credentials inside free text: `Bearer <token>`, `Basic <base64>`, and OpenAI/Anthropic-style `sk-...` keys. */
const secretInText = [
  { pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, replace: `$1 ${REDACTED}` },
  { pattern: /\bsk-[A-Za-z0-9_-]{8,}/g, replace: REDACTED },
  {
    pattern: /\b(api[_-]?key|password|secret|token)(["']?\s*[:=]\s*["']?)[^\s"',;&]{4,}/gi,
    replace: `$1$2${REDACTED}`,
  },
];

export function isSecretKey(key: string): boolean {
  return secretKey.test(key.toLowerCase().replace(/[-_]/g, ''));
}

/** `text` with the credentials it visibly carries replaced by "[redacted]". */
export function redactText(text: string): string {
  let result = text;
  for (const { pattern, replace } of secretInText) result = result.replace(pattern, replace);
  return result;
}

const maxDepth = 8;

/**
 * A copy of `value` fit for a log line: values under secret-looking keys (at any depth) are
 * "[redacted]", credentials inside strings too; an encrypted Temporal payload (codec encoding
 * `binary/encrypted`) becomes a short description without its bytes; byte arrays become their
 * length; errors become plain objects (type, message, stack, own fields, cause), redacted the
 * same way; `Secret` and other objects with `toJSON` are asked for their JSON. Cycles and depth
 * beyond 8 are cut.
 */
export function redactForLog(value: unknown): unknown {
  return redactValue(value, 0, new WeakSet());
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= maxDepth) return '[too deep]';
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof Date) return value;
  seen.add(value);
  try {
    if (value instanceof Error) return redactError(value, depth, seen);
    const encrypted = encryptedPayload(value);
    if (encrypted) return encrypted;
    if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
    if (value instanceof Map)
      return redactEntries(
        [...value.entries()].map(([k, v]) => [String(k), v]),
        depth,
        seen,
      );
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
      return redactValue((value as { toJSON(): unknown }).toJSON(), depth, seen);
    return redactEntries(Object.entries(value), depth, seen);
  } finally {
    seen.delete(value);
  }
}

function redactEntries(entries: [string, unknown][], depth: number, seen: WeakSet<object>) {
  const result: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    result[key] =
      isSecretKey(key) && item !== undefined && item !== null ? REDACTED : redactValue(item, depth + 1, seen);
  }
  return result;
}

function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const result: Record<string, unknown> = { type: error.name, message: redactText(error.message) };
  if (error.stack) result.stack = redactText(error.stack);
  for (const [key, item] of Object.entries(error)) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    result[key] = isSecretKey(key) && item != null ? REDACTED : redactValue(item, depth + 1, seen);
  }
  if (error.cause !== undefined && !('cause' in result))
    result.cause = redactValue(error.cause, depth + 1, seen);
  return result;
}

/** A Temporal payload as the codec encrypts it: metadata.encoding = "binary/encrypted" (bytes, or base64 in JSON form). */
function encryptedPayload(value: object): string | undefined {
  const metadata = (value as { metadata?: unknown }).metadata;
  if (metadata === null || typeof metadata !== 'object') return undefined;
  const encoding = textOf((metadata as Record<string, unknown>).encoding);
  if (encoding !== ENCRYPTED_ENCODING) return undefined;
  const keyId = textOf((metadata as Record<string, unknown>)[KEY_ID_METADATA]);
  return `[encrypted payload${keyId === undefined ? '' : `, key "${keyId}"`}]`;
}

function textOf(value: unknown): string | undefined {
  if (value instanceof Uint8Array) return Buffer.from(value).toString();
  if (typeof value !== 'string') return undefined;
  const decoded = Buffer.from(value, 'base64');
  return decoded.toString('base64') === value ? decoded.toString() : value;
}
