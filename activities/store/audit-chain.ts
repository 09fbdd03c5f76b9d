import { createHash } from 'node:crypto';
import { canonicalJson } from '../../compiler/hash.ts';
import type { AuditBreak, AuditEntry } from '../../schema/audit.ts';
import type { JsonValue, Variables } from '../../schema/json.ts';

/**
 * The audit log's hash chain, free of I/O: how an entry is hashed, how details are kept free of
 * secrets, and how a sequence of entries is checked.
 *
 * Each tenant has its own chain rather than one global chain, because:
 * - tenants do not queue behind one lock: appends of different tenants run in parallel;
 * - a tenant can verify and export its own chain alone, which row-level security (a connection
 *   sees only its tenant's rows) requires, and which makes each tenant's export a self-contained
 *   proof that holds no other tenant's entries;
 * - a tenant's chain can be handed to that tenant's auditor without revealing anyone else's activity.
 * The price: removing a whole tenant (its entries and its head) is not caught by another tenant's
 * chain. Keeping exported heads elsewhere (an export names the last hash) covers that.
 */

/** The `prevHash` of a tenant's first entry. */
export const genesisHash = '0'.repeat(64);

/** Bumped if the hashed form ever changes, so old and new entries are never confused. */
const hashFormat = 1;

/** The fields a hash covers: all of the entry but its global `seq` and the hashes. */
export type HashedFields = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/** sha256 (hex) of the previous hash followed by the canonical JSON of the entry's fields. */
export function entryHash(prevHash: string, fields: HashedFields): string {
  const { tenant, tenantSeq, actor, action, target, requestId, outcome, status, reason, at, details } =
    fields;
  // Named one by one, so a field added to the entry later is never hashed by accident.
  const hashed = {
    v: hashFormat,
    tenant,
    tenantSeq,
    actor,
    action,
    target,
    requestId,
    outcome,
    status,
    reason,
    at,
    details,
  };
  return createHash('sha256').update(prevHash).update(canonicalJson(hashed)).digest('hex');
}

export const redacted = '[redacted]';

/** Key names whose values are credentials; compared without case, dashes or underscores. */
const secretKey =
  /secret|password|passphrase|passwd|apikey|authorization|cookie|privatekey|credential|token$/;

/** `details` with the value of every secret-looking key (at any depth) replaced by "[redacted]". */
export function redactSecrets(details: Variables): Variables {
  return redactObject(details);
}

function redactObject(object: { [key: string]: JsonValue }): { [key: string]: JsonValue } {
  return Object.fromEntries(
    Object.entries(object).map(([key, value]) => [
      key,
      secretKey.test(key.toLowerCase().replace(/[-_]/g, '')) ? redacted : redactValue(value),
    ]),
  );
}

function redactValue(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') return redactObject(value);
  return value;
}

export interface ChainBreak {
  tenant: string;
  brokenAt: number;
  reason: AuditBreak;
  message: string;
}

/** What a tenant's head row says: how long its chain is and its last hash. */
export interface ChainHead {
  length: number;
  lastHash: string | null;
}

interface TenantState {
  length: number;
  lastHash: string;
  lastSeq: number;
}

/**
 * Checks entries fed in `seq` order, for any number of tenants, and then each tenant's head.
 * Keeps one small state per tenant, so a log of any size streams through it.
 */
export class ChainChecker {
  private readonly tenants = new Map<string, TenantState>();
  entries = 0;

  /**
   * @param fromAnywhere an export that starts mid-chain (`--since`): each tenant's first entry is
   *   taken as its chain's start, and checked only against its own hash.
   */
  constructor(private readonly fromAnywhere = false) {}

  /** The first problem `entry` shows, or undefined when it continues its tenant's chain. */
  check(entry: AuditEntry): ChainBreak | undefined {
    const start = this.fromAnywhere
      ? { length: entry.tenantSeq - 1, lastHash: entry.prevHash, lastSeq: 0 }
      : { length: 0, lastHash: genesisHash, lastSeq: 0 };
    const state = this.tenants.get(entry.tenant) ?? start;
    const at = (reason: AuditBreak, message: string): ChainBreak => ({
      tenant: entry.tenant,
      brokenAt: entry.seq,
      reason,
      message: `entry ${entry.seq} (position ${entry.tenantSeq} of tenant "${entry.tenant}"): ${message}`,
    });
    const { seq: _seq, prevHash, hash, ...fields } = entry;
    if (entryHash(prevHash, fields) !== hash) {
      return at('edited', 'its content no longer matches its hash: it was changed after it was written');
    }
    const expected = state.length + 1;
    if (entry.tenantSeq > expected) {
      const missing =
        entry.tenantSeq === expected + 1 ? `${expected} is` : `${expected}-${entry.tenantSeq - 1} are`;
      return at('deleted', `position ${missing} missing before it: entries were deleted`);
    }
    if (entry.tenantSeq < expected) {
      return at('reordered', `it comes after position ${state.length}: entries were moved or duplicated`);
    }
    if (prevHash !== state.lastHash) {
      const before = state.lastSeq === 0 ? 'the start of the chain' : `entry ${state.lastSeq}`;
      return at(
        'edited',
        `it does not link to ${before}: one of the two was rewritten and its hash recomputed`,
      );
    }
    this.tenants.set(entry.tenant, { length: expected, lastHash: hash, lastSeq: entry.seq });
    this.entries += 1;
    return undefined;
  }

  /** Compares each tenant's chain with its head: a head longer than the chain means a deleted tail. */
  checkHeads(heads: ReadonlyMap<string, ChainHead>): ChainBreak | undefined {
    const tenants = new Set([...heads.keys(), ...this.tenants.keys()]);
    for (const tenant of [...tenants].sort()) {
      const state = this.tenants.get(tenant) ?? { length: 0, lastHash: genesisHash, lastSeq: 0 };
      const head = heads.get(tenant) ?? { length: 0, lastHash: null };
      const at = (reason: AuditBreak, message: string): ChainBreak => ({
        tenant,
        brokenAt: state.lastSeq,
        reason,
        message: `tenant "${tenant}": ${message}`,
      });
      const last =
        state.lastSeq === 0 ? 'no entries are left' : `the last one left is entry ${state.lastSeq}`;
      if (head.length > state.length) {
        return at(
          'deleted',
          `its head records ${head.length} entries but the log holds ${state.length}: entries were deleted from the end (${last})`,
        );
      }
      if (head.length < state.length) {
        return at(
          'edited',
          `the log holds ${state.length} entries but its head records ${head.length}: entries were written around the audit log`,
        );
      }
      if (head.length > 0 && head.lastHash !== state.lastHash) {
        return at('edited', `the last entry's hash differs from the one its head records (${last})`);
      }
    }
    return undefined;
  }

  get tenantCount(): number {
    return this.tenants.size;
  }
}
