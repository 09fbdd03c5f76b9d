import { z } from 'zod';
import type { Identity } from './identity.ts';
import { Variables } from './json.ts';

/**
 * The audit log's contract: what the API server appends for every mutation (and every denied
 * attempt), and what `GET /v1/audit`, `swarmflow audit list --json` and `audit export` return.
 */

/** Who acted: an API key, an OIDC subject, the server itself, or a local operator (no identity yet). */
export const AuditActorKind = z.enum(['api-key', 'oidc', 'system', 'local']);
export type AuditActorKind = z.infer<typeof AuditActorKind>;

export const AuditActor = z.strictObject({
  kind: AuditActorKind,
  id: z.string().min(1).max(200).describe('the key id or the OIDC subject; never the key itself'),
});
export type AuditActor = z.infer<typeof AuditActor>;

/** The actor an identity's acts are logged as: an API key by its id, anyone else by subject. */
export function actorOf(identity: Identity): AuditActor {
  return {
    kind: identity.kind,
    id: identity.kind === 'api-key' ? (identity.keyId ?? identity.subject) : identity.subject,
  };
}

/** What was acted on: a resource kind and, unless the action is on the collection, its id. */
export const AuditTarget = z.strictObject({
  kind: z.string().min(1).max(100).describe('e.g. run, routine, swarm, approval, key, tenant'),
  id: z.string().min(1).max(500).optional(),
});
export type AuditTarget = z.infer<typeof AuditTarget>;

export const AuditOutcome = z.enum(['ok', 'denied', 'error']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

/** `<resource>.<verb>`, lower case, e.g. `runs.start`, `approvals.decide`, `keys.revoke`. */
export const AuditAction = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/, 'an action is <resource>.<verb>, e.g. runs.start');

/** What a caller appends; the log adds the tenant's chain position, the time and the hashes. */
export const AuditEntryInput = z.strictObject({
  tenant: z.string().min(1),
  actor: AuditActor,
  action: AuditAction,
  target: AuditTarget,
  requestId: z.string().min(1).max(200).optional(),
  outcome: AuditOutcome,
  status: z.int().min(100).max(599).optional().describe('the HTTP status answered'),
  reason: z.string().max(2000).optional().describe('why it was denied or failed'),
  details: Variables.default({}).describe(
    'more context as JSON; values under secret-looking keys (password, token, apiKey...) are redacted',
  ),
});
export type AuditEntryInput = z.input<typeof AuditEntryInput>;

/** One entry as stored and returned: the input plus its place in the tenant's hash chain. */
export const AuditEntry = z.object({
  seq: z.int().positive().describe('global order of appends; a cursor for `after`'),
  tenant: z.string(),
  tenantSeq: z.int().positive().describe("the entry's position in its tenant's chain: 1, 2, 3..."),
  actor: AuditActor,
  action: z.string(),
  target: AuditTarget,
  requestId: z.string().optional(),
  outcome: AuditOutcome,
  status: z.int().optional(),
  reason: z.string().optional(),
  at: z.iso.datetime(),
  details: Variables,
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** What `verify` finds: the chain is whole, or where it first breaks and how. */
export type AuditVerification =
  | { ok: true; entries: number; tenants: number }
  | {
      ok: false;
      /** Entries checked before the break. */
      entries: number;
      tenant: string;
      /** `seq` of the first entry that does not fit (for a deleted tail, the last entry left). */
      brokenAt: number;
      reason: AuditBreak;
      message: string;
    };

/**
 * - `edited`: an entry's content no longer gives its hash, or the head's hash differs;
 * - `deleted`: a chain position is missing (a gap, or entries gone from the tail);
 * - `reordered`: positions go backwards, repeat, or an entry links to the wrong predecessor.
 */
export type AuditBreak = 'edited' | 'deleted' | 'reordered';
