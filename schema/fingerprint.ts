const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/**
 * A 64-bit FNV-1a hash of `text` (its UTF-16 code units), as 16 hex digits: a short name for a
 * value, to tell equal inputs apart from different ones. Not a cryptographic hash. Pure and
 * deterministic, so workflow code may use it (the workflow sandbox has no node:crypto).
 */
export function fingerprint(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * FNV_PRIME) & MASK;
  }
  return hash.toString(16).padStart(16, '0');
}
