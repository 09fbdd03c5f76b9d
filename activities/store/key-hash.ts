import { createHash, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Slow hashes of API key secrets: scrypt with a per-key random salt, its parameters stored with
 * it as `scrypt$N$r$p$salt$hash` (base64url), so the parameters can rise without breaking old keys.
 */

/** N = 2^15, r = 8, p = 1: about 32 MiB and tens of milliseconds per hash. */
export const defaultScryptParameters = { N: 2 ** 15, r: 8, p: 1 } as const;
const saltBytes = 16;
const hashBytes = 32;

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem above the 32 MiB default, which N=2^15, r=8 just exceeds (128 * N * r bytes plus overhead).
    scrypt(secret, salt, hashBytes, { ...options, maxmem: 256 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` of `secret`, with a fresh salt. */
export async function hashSecret(
  secret: string,
  parameters: { N: number; r: number; p: number } = defaultScryptParameters,
): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await derive(secret, salt, parameters);
  const { N, r, p } = parameters;
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Whether `secret` hashes to `stored`, compared in constant time; false for a stored value it cannot read. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return false;
  const salt = Buffer.from(parts[4] as string, 'base64url');
  const expected = Buffer.from(parts[5] as string, 'base64url');
  const actual = await derive(secret, salt, { N, r, p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A fast digest, to remember in memory which presented key already passed `verifySecret`. */
export const fastDigest = (text: string): Buffer => createHash('sha256').update(text).digest();
