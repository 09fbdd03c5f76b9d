import type { Kysely } from 'kysely';
import { authenticateApiKey } from '../../activities/store/api-keys.ts';
import type { Database } from '../../schema/db/tables.ts';
import { type AuthResult, isApiKeyToken, type OidcConfig } from '../../schema/identity.ts';
import { createOidcVerifier, type OidcVerifier } from './oidc.ts';

/**
 * The one entry point for a request's credentials: an `Authorization: Bearer <token>` header
 * becomes an Identity (an API key `sfk_…`, else an OIDC JWT when a provider is configured) or a
 * typed failure. Every failure is a 401; its reason is for the audit log, not the caller.
 */
export interface Authenticator {
  /** The identity behind an `Authorization` header's value (undefined when there is no header). */
  authenticateHeader(header: string | undefined): Promise<AuthResult>;
  /** The identity behind a bare bearer token. */
  authenticateToken(token: string): Promise<AuthResult>;
}

export function createAuthenticator(options: {
  db: Kysely<Database>;
  oidc?: OidcConfig | undefined;
}): Authenticator {
  const { db } = options;
  const oidc: OidcVerifier | undefined = options.oidc && createOidcVerifier(options.oidc);

  const authenticateToken = async (token: string): Promise<AuthResult> => {
    if (isApiKeyToken(token)) return authenticateApiKey(db, token);
    if (!oidc) {
      return {
        ok: false,
        reason: 'oidc-not-configured',
        detail: 'not an API key, and no OIDC provider is configured',
      };
    }
    const result = await oidc.verify(token);
    if (!result.ok) return result;
    // The tenant a token names must exist and be enabled, as an API key's must.
    const { tenantId } = result.identity;
    const tenant = await db
      .selectFrom('tenants')
      .select('disabled_at')
      .where('id', '=', tenantId)
      .executeTakeFirst();
    if (!tenant) return { ok: false, reason: 'unknown-tenant', detail: `no tenant "${tenantId}"` };
    if (tenant.disabled_at)
      return { ok: false, reason: 'tenant-disabled', detail: `tenant "${tenantId}" is disabled` };
    return result;
  };

  return {
    authenticateToken,
    async authenticateHeader(header) {
      const token = bearerToken(header);
      if (token === undefined) {
        return { ok: false, reason: 'missing', detail: 'no "Authorization: Bearer <token>" header' };
      }
      return authenticateToken(token);
    },
  };
}

/** The token of an `Authorization: Bearer <token>` header value (the scheme is case-insensitive). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}
