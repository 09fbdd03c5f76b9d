/**
 * The names providers see for tools: the tool key when it fits `^[a-zA-Z0-9_-]{1,64}$`, else a
 * deterministic shortened name with a hash suffix, unique in the list. Pure code, no I/O (the
 * hash is FNV-1a, computed here, so nothing from Node is needed).
 */
import { MAX_TOOL_NAME_LENGTH, TOOL_NAME_PATTERN } from './provider-rules.ts';

const HASH_LENGTH = 8;

/** FNV-1a over the UTF-16 code units, as 8 hex digits. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(HASH_LENGTH, '0');
}

/**
 * The provider name for `key`, not one of `taken`: the key itself when it is valid and free;
 * otherwise its first characters, `_`, and a hash of the key (salted by a counter on the rare
 * clash), 64 characters at most. The same key list always gives the same names.
 */
export function providerToolName(key: string, taken: ReadonlySet<string>): string {
  const safe = key.replaceAll(/[^A-Za-z0-9_-]/g, '_') || 'tool';
  if (TOOL_NAME_PATTERN.test(safe) && safe === key && !taken.has(safe)) return safe;
  const stem = safe.slice(0, MAX_TOOL_NAME_LENGTH - HASH_LENGTH - 1);
  for (let salt = 0; ; salt++) {
    const name = `${stem}_${shortHash(salt === 0 ? key : `${key}#${salt}`)}`;
    if (!taken.has(name)) return name;
  }
}
