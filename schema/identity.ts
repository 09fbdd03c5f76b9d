import { z } from 'zod';

/**
 * Who a caller is and what they may do: the fixed permission set, the built-in roles, custom
 * roles from the deployment config, and the one check (`can`) every REST route, MCP tool, SDK
 * call and remote CLI command makes. Pure: no I/O, so the API server, the MCP server and tests
 * share it.
 */

/** Every permission, with what it allows. Each route, tool and command checks exactly one. */
export const permissionDescriptions = {
  'routines:read': 'list routines, read their versions, sources and compiled graphs',
  'routines:write': 'register new routine versions',
  'runs:start': 'start runs of routines',
  'runs:read': "list runs, read a run's status, result, steps, user tasks and pending approvals",
  'runs:cancel': 'cancel a run',
  'runs:control': 'resolve an incident a run is parked on, resume a paused run with raised budgets',
  'runs:feedback': "give feedback on a run: a score from 0 to 1 recorded with the giver's identity",
  'swarms:start': 'start swarms',
  'swarms:read': "list swarms, read a swarm's state, board, transcript and result",
  'swarms:control': 'pause, resume, stop or steer a swarm, raise its budgets',
  'approvals:decide': 'approve or reject a pending tool call',
  'tasks:complete': 'complete a user task',
  'messages:publish': 'publish BPMN messages and broadcast signals to runs',
  'agents:read': 'list agents and read their definitions',
  'agents:write': 'create, change and delete agents',
  'audit:read': "read and export the tenant's audit log",
  'keys:manage': "create, list and revoke the tenant's API keys",
  'tenants:manage':
    'create, list and disable tenants, set their quotas (crosses tenants: no built-in role has it)',
} as const;

const permissionNames = Object.keys(permissionDescriptions) as (keyof typeof permissionDescriptions)[];

export const Permission = z.enum(permissionNames as [Permission, ...Permission[]], {
  error: (issue) =>
    `unknown permission ${JSON.stringify(issue.input)}; the permissions are ${permissionNames.join(', ')}`,
});
export type Permission = keyof typeof permissionDescriptions;

/** The permissions, in their documented order. */
export const permissions: readonly Permission[] = permissionNames;

/** Role names: what API keys store, tokens carry and the config defines. */
export const RoleName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,62}$/,
    'role names use lowercase letters, digits, "_" or "-", starting with a letter',
  );

export const BuiltInRole = z.enum(['viewer', 'operator', 'approver', 'author', 'admin']);
export type BuiltInRole = z.infer<typeof BuiltInRole>;

const viewer = ['routines:read', 'runs:read', 'swarms:read', 'agents:read'] as const satisfies Permission[];

/**
 * The built-in roles. An identity may hold several; its permissions are their union.
 *
 * | permission       | viewer | operator | approver | author | admin |
 * | ---------------- | :----: | :------: | :------: | :----: | :---: |
 * | routines:read    |   x    |    x     |    x     |   x    |   x   |
 * | routines:write   |        |          |          |   x    |   x   |
 * | runs:start       |        |    x     |          |        |   x   |
 * | runs:read        |   x    |    x     |    x     |   x    |   x   |
 * | runs:cancel      |        |    x     |          |        |   x   |
 * | runs:control     |        |    x     |          |        |   x   |
 * | runs:feedback    |        |    x     |    x     |        |   x   |
 * | swarms:start     |        |    x     |          |        |   x   |
 * | swarms:read      |   x    |    x     |    x     |   x    |   x   |
 * | swarms:control   |        |    x     |          |        |   x   |
 * | approvals:decide |        |          |    x     |        |   x   |
 * | tasks:complete   |        |          |    x     |        |   x   |
 * | messages:publish |        |    x     |          |        |   x   |
 * | agents:read      |   x    |    x     |    x     |   x    |   x   |
 * | agents:write     |        |          |          |   x    |   x   |
 * | audit:read       |        |          |          |        |   x   |
 * | keys:manage      |        |          |          |        |   x   |
 * | tenants:manage   |        |          |          |        |       |
 *
 * - viewer: reads everything of its tenant but the audit log and keys.
 * - operator: starts and steers runs and swarms. It cannot approve tool calls or complete user
 *   tasks, so an agent that runs with an operator key cannot approve its own tool calls.
 * - approver: the person in the loop: decides approvals and completes user tasks.
 * - author: writes routines and agents; give it `operator` too to try them.
 * - admin: everything within its tenant, keys and audit included.
 * - `tenants:manage` crosses tenants, so no built-in role has it: a deployment grants it with a
 *   custom role (for example `{ "platform": { "inherits": ["admin"], "permissions": ["tenants:manage"] } }`).
 */
export const builtInRoles: Readonly<Record<BuiltInRole, readonly Permission[]>> = {
  viewer,
  operator: [
    ...viewer,
    'runs:start',
    'runs:cancel',
    'runs:control',
    'runs:feedback',
    'swarms:start',
    'swarms:control',
    'messages:publish',
  ],
  approver: [...viewer, 'approvals:decide', 'tasks:complete', 'runs:feedback'],
  author: [...viewer, 'routines:write', 'agents:write'],
  admin: permissions.filter((permission) => permission !== 'tenants:manage'),
};

/** A role the deployment config defines: its own permissions plus those of the roles it inherits. */
export const CustomRole = z.strictObject({
  permissions: z.array(Permission).default([]),
  inherits: z
    .array(RoleName)
    .default([])
    .describe('built-in or custom roles whose permissions this one adds'),
});
export type CustomRole = z.infer<typeof CustomRole>;

/**
 * The `roles` section a deployment config may include: `{ roles: { name: { permissions, inherits } } }`.
 * Errors name the field: `roles.reviewer.permissions.1: unknown permission "runs:delete"; ...`.
 */
export const RolesConfig = z
  .strictObject({ roles: z.record(z.string(), CustomRole).default({}) })
  .superRefine(({ roles }, context) => {
    for (const [name, role] of Object.entries(roles)) {
      for (const issue of RoleName.safeParse(name).error?.issues ?? []) {
        context.addIssue({ code: 'custom', path: ['roles', name], message: issue.message });
      }
      if (BuiltInRole.safeParse(name).success) {
        context.addIssue({
          code: 'custom',
          path: ['roles', name],
          message: `"${name}" is a built-in role and cannot be redefined; give the custom role another name`,
        });
      }
      role.inherits.forEach((parent, index) => {
        if (!(parent in builtInRoles) && !(parent in roles)) {
          context.addIssue({
            code: 'custom',
            path: ['roles', name, 'inherits', index],
            message: `unknown role "${parent}"; the roles are ${[...Object.keys(builtInRoles), ...Object.keys(roles)].join(', ')}`,
          });
        }
      });
    }
    for (const cycle of inheritanceCycles(roles)) {
      context.addIssue({
        code: 'custom',
        path: ['roles', cycle[0] as string, 'inherits'],
        message: `roles inherit from each other in a cycle: ${cycle.join(' -> ')}`,
      });
    }
  });
export type RolesConfig = z.infer<typeof RolesConfig>;

/** Every role a deployment knows, by name, with its permissions, inheritance flattened. */
export type RoleTable = ReadonlyMap<string, ReadonlySet<Permission>>;

/** The built-in roles plus the config's custom ones; `config` must have passed RolesConfig. */
export function resolveRoles(config: RolesConfig = { roles: {} }): RoleTable {
  const table = new Map<string, ReadonlySet<Permission>>();
  for (const [name, granted] of Object.entries(builtInRoles)) table.set(name, new Set(granted));
  const resolve = (name: string, seen: readonly string[]): ReadonlySet<Permission> => {
    const known = table.get(name);
    if (known) return known;
    const role = config.roles[name];
    if (!role || seen.includes(name)) return new Set();
    const granted = new Set(role.permissions);
    for (const parent of role.inherits) for (const p of resolve(parent, [...seen, name])) granted.add(p);
    table.set(name, granted);
    return granted;
  };
  for (const name of Object.keys(config.roles)) resolve(name, []);
  return table;
}

/** The built-in roles alone, for deployments without custom ones. */
export const builtInRoleTable: RoleTable = resolveRoles();

function inheritanceCycles(roles: Record<string, CustomRole>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (name: string, path: string[]) => {
    const start = path.indexOf(name);
    if (start >= 0) {
      cycles.push([...path.slice(start), name]);
      return;
    }
    if (done.has(name)) return;
    for (const parent of roles[name]?.inherits ?? []) visit(parent, [...path, name]);
    done.add(name);
  };
  for (const name of Object.keys(roles)) visit(name, []);
  return cycles;
}

/**
 * Tenant ids, like run ids but without ":" (tenant ids go into workflow ids and search
 * attributes): letters, digits, "_", "." or "-", starting with a letter or digit.
 */
export const TenantId = z
  .string()
  .regex(
    /^[A-Za-z0-9][\w.-]{0,62}$/,
    'tenant ids use letters, digits, "_", "." or "-", start with a letter or digit, at most 63 characters',
  );

/** Per-tenant limits; an absent one is unlimited. Going over one is a 429 naming it. */
export const TenantQuotas = z.strictObject({
  maxConcurrentRuns: z.int().positive().optional(),
  maxConcurrentSwarms: z.int().positive().optional(),
  creditsPerDay: z.number().positive().optional(),
});
export type TenantQuotas = z.infer<typeof TenantQuotas>;

export interface Tenant {
  id: string;
  name: string;
  createdAt: Date;
  disabledAt: Date | null;
  quotas: TenantQuotas | null;
}

/** An authenticated caller. The tenant always comes from here, never from the request. */
export const Identity = z.strictObject({
  /** `local`: the API server's `--insecure-local` caller on a loopback address, an admin of one tenant. */
  kind: z.enum(['api-key', 'oidc', 'local']),
  /** Who, for the audit log: `api-key:<id>` for a key, the token's subject for OIDC. */
  subject: z.string().min(1),
  tenantId: TenantId,
  roles: z.array(z.string()),
  /** The API key's public id, for `api-key` identities. */
  keyId: z.string().optional(),
});
export type Identity = z.infer<typeof Identity>;

/**
 * The caller of a server that runs without authentication on this machine (`serve
 * --insecure-local`, `mcp` over stdio without a key): an admin of `tenantId`.
 */
export function localIdentity(tenantId: string): Identity {
  return { kind: 'local', subject: 'local', tenantId, roles: ['admin'] };
}

/** Every permission `identity` holds through its roles; names the table does not know grant nothing. */
export function permissionsOf(identity: Pick<Identity, 'roles'>, roles: RoleTable): Set<Permission> {
  const granted = new Set<Permission>();
  for (const role of identity.roles) for (const p of roles.get(role) ?? []) granted.add(p);
  return granted;
}

/** Whether `identity` holds `permission` through any of its roles. */
export function can(identity: Pick<Identity, 'roles'>, permission: Permission, roles: RoleTable): boolean {
  return identity.roles.some((role) => roles.get(role)?.has(permission) ?? false);
}

/** The roles that grant `permission`, in the table's order. */
export function rolesWith(permission: Permission, roles: RoleTable): string[] {
  return [...roles].filter(([, granted]) => granted.has(permission)).map(([name]) => name);
}

/** An identity's roles lack the one permission a call checks: a 403. */
export class PermissionDeniedError extends Error {
  override readonly name = 'PermissionDeniedError';
  constructor(
    readonly permission: Permission,
    /** The roles the caller holds. */
    readonly heldRoles: readonly string[],
    /** The roles that grant `permission`. */
    readonly grantedBy: readonly string[],
  ) {
    const held = heldRoles.length > 0 ? `roles ${heldRoles.join(', ')} do` : 'no roles do';
    const by = grantedBy.length > 0 ? `; roles that have it: ${grantedBy.join(', ')}` : '; no role has it';
    super(`permission ${permission} denied: the caller's ${held} not grant it${by}`);
  }
}

/** Throws PermissionDeniedError unless `identity` holds `permission`. */
export function authorize(identity: Pick<Identity, 'roles'>, permission: Permission, roles: RoleTable): void {
  if (!can(identity, permission, roles)) {
    throw new PermissionDeniedError(permission, identity.roles, rolesWith(permission, roles));
  }
}

/**
 * Whether `identity` may hand out `role` (to an API key): only a role whose permissions it holds
 * all of, so `keys:manage` never escalates. Unknown roles cannot be granted.
 */
export function canGrant(identity: Pick<Identity, 'roles'>, role: string, roles: RoleTable): boolean {
  const wanted = roles.get(role);
  if (!wanted) return false;
  const held = permissionsOf(identity, roles);
  return [...wanted].every((p) => held.has(p));
}

/** A caller asked to give a key a role with permissions the caller does not hold: a 403. */
export class RoleNotGrantableError extends Error {
  override readonly name = 'RoleNotGrantableError';
  constructor(
    readonly role: string,
    readonly heldRoles: readonly string[],
  ) {
    super(
      `cannot create a key with role ${role}: it has permissions the caller's roles (${heldRoles.join(', ') || 'none'}) do not; keys:manage never grants more than its holder has`,
    );
  }
}

// ---- API keys ----

/** The public part of an API key: 12 lowercase letters and digits, shown in `keys list`. */
export const ApiKeyId = z.string().regex(/^[a-z0-9]{12}$/, 'API key ids are 12 lowercase letters and digits');

const apiKeyPattern = /^sfk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** `sfk_<id>_<secret>`: the secret is 32 random bytes in base64url (43 characters, "_" and "-" included). */
export function formatApiKey(id: string, secret: string): string {
  return `sfk_${id}_${secret}`;
}

/** The id and secret of a key in the `sfk_<id>_<secret>` format, or undefined when it is not one. */
export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const match = apiKeyPattern.exec(key);
  return match ? { id: match[1] as string, secret: match[2] as string } : undefined;
}

/** Whether a bearer token looks like an API key rather than a JWT. */
export const isApiKeyToken = (token: string): boolean => token.startsWith('sfk_');

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  role: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdBy: string;
}

export const ApiKeyName = z.string().trim().min(1, 'give the key a name').max(100);

const expiryUnitsMs = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/**
 * When a key given `--expires <text>` expires: a span from `now` (`12h`, `90d`, `8w`), a date
 * (`2026-12-31`: 00:00 UTC that day) or an ISO date-time. Refuses a moment not after `now`.
 * Throws an Error whose message the caller prefixes with the flag.
 */
export function parseExpiry(text: string, now: Date = new Date()): Date {
  const span = /^(\d+)([hdw])$/.exec(text.trim());
  let expiresAt: Date;
  if (span) {
    const amount = Number(span[1]);
    if (amount === 0) throw new Error(`"${text}" is no time at all; give a positive span such as 90d`);
    expiresAt = new Date(now.getTime() + amount * expiryUnitsMs[span[2] as keyof typeof expiryUnitsMs]);
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) {
    expiresAt = new Date(`${text.trim()}T00:00:00Z`);
    if (expiresAt.toISOString().slice(0, 10) !== text.trim()) expiresAt = new Date(Number.NaN);
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(text.trim())) {
    expiresAt = new Date(text.trim());
  } else {
    expiresAt = new Date(Number.NaN);
  }
  if (Number.isNaN(expiresAt.getTime())) {
    throw new Error(
      `"${text}" is neither a span (12h, 90d, 8w) nor a date (2026-12-31) or ISO date-time (2026-12-31T18:00:00Z)`,
    );
  }
  if (expiresAt.getTime() <= now.getTime()) {
    throw new Error(`"${text}" is ${expiresAt.toISOString()}, which has passed; give a moment in the future`);
  }
  return expiresAt;
}

// ---- OIDC ----

/**
 * Bearer JWTs from an OIDC provider, verified against its JWKS, and how their claims map to an
 * identity. Claim paths are a claim's name (`tid`, `https://example.com/roles`) or a dotted path
 * into nested claims (`org.id`).
 */
export const OidcConfig = z.strictObject({
  issuer: z.string().min(1).describe("the tokens' `iss`, exactly"),
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).describe('accepted `aud` values'),
  jwksUrl: z.url().describe("the provider's JSON Web Key Set"),
  tenantClaim: z.string().min(1).default('tid'),
  rolesClaim: z.string().min(1).default('roles'),
  subjectClaim: z.string().min(1).default('sub'),
  defaultRole: RoleName.optional().describe('the role of a token whose roles claim is absent or empty'),
  algorithms: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('accepted `alg` values; default: asymmetric ones'),
  clockToleranceSeconds: z.int().nonnegative().default(30),
});
export type OidcConfig = z.infer<typeof OidcConfig>;

// ---- authentication outcomes ----

/**
 * Why a bearer token was refused. Every reason is a 401 to the caller, who never learns which
 * part was wrong; the reason is for the audit log.
 */
export type AuthFailureReason =
  // no `Authorization: Bearer <token>` header (the MCP route answers it with `WWW-Authenticate`)
  | 'missing'
  // API keys
  | 'malformed'
  | 'unknown'
  | 'revoked'
  | 'expired'
  | 'tenant-disabled'
  // OIDC tokens (also 'malformed' and 'expired')
  | 'unknown-tenant'
  | 'bad-signature'
  | 'unknown-kid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'not-yet-valid'
  | 'missing-tenant'
  | 'bad-tenant'
  | 'missing-subject'
  | 'jwks-unavailable'
  | 'oidc-not-configured';

export type AuthResult =
  | { ok: true; identity: Identity }
  | {
      ok: false;
      reason: AuthFailureReason;
      /** For the audit log: what was wrong, never the secret. */
      detail: string;
      /** The API key's id when the token named one. */
      keyId?: string;
    };
