import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import {
  type AuthFailureReason,
  type AuthResult,
  type OidcConfig,
  RoleName,
  TenantId,
} from '../../schema/identity.ts';

/**
 * Verifies OIDC bearer JWTs against the provider's JWKS (fetched and cached by jose; a token
 * with an unknown `kid` refetches it, at most every 30 s) and maps their claims to an Identity.
 * The issuer, audience, expiry and not-before are always checked.
 */
export interface OidcVerifier {
  verify(token: string): Promise<AuthResult>;
}

const asymmetricAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** A verifier for one provider; `config` must have passed OidcConfig. */
export function createOidcVerifier(config: OidcConfig): OidcVerifier {
  const jwks = createRemoteJWKSet(new URL(config.jwksUrl), {
    timeoutDuration: 5_000,
    cooldownDuration: 30_000,
  });
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: config.algorithms ?? asymmetricAlgorithms,
          clockTolerance: config.clockToleranceSeconds,
        }));
      } catch (error) {
        return failure(...classify(error));
      }
      return mapClaims(payload, config);
    },
  };
}

/** The Identity that verified claims stand for under `config`'s mapping, or why they stand for none. */
export function mapClaims(payload: JWTPayload, config: OidcConfig): AuthResult {
  const subject = claimAt(payload, config.subjectClaim);
  if (typeof subject !== 'string' || subject === '') {
    return failure('missing-subject', `the token has no string claim "${config.subjectClaim}"`);
  }
  const tenant = claimAt(payload, config.tenantClaim);
  if (tenant === undefined || tenant === null || tenant === '') {
    return failure('missing-tenant', `the token has no claim "${config.tenantClaim}" naming its tenant`);
  }
  const tenantId = typeof tenant === 'number' ? String(tenant) : tenant;
  if (typeof tenantId !== 'string' || !TenantId.safeParse(tenantId).success) {
    return failure(
      'bad-tenant',
      `claim "${config.tenantClaim}" is not a tenant id: ${JSON.stringify(tenant)}`,
    );
  }
  const roles = rolesFrom(claimAt(payload, config.rolesClaim));
  if (roles.length === 0 && config.defaultRole) roles.push(config.defaultRole);
  return { ok: true, identity: { kind: 'oidc', subject, tenantId, roles } };
}

/** A role claim as a list: an array of names, or one string of space-separated names. Non-names are dropped. */
function rolesFrom(claim: unknown): string[] {
  const values = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/\s+/) : [];
  return [
    ...new Set(values.filter((v): v is string => typeof v === 'string' && RoleName.safeParse(v).success)),
  ];
}

/**
 * The claim named `path`: a top-level claim of that exact name (`https://example.com/roles`
 * included), else the dotted path into nested objects (`org.id`).
 */
export function claimAt(payload: JWTPayload, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function classify(error: unknown): [AuthFailureReason, string] {
  if (error instanceof errors.JWTExpired) return ['expired', 'the token has expired'];
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return ['wrong-issuer', 'the token comes from another issuer'];
    if (error.claim === 'aud') return ['wrong-audience', 'the token is meant for another audience'];
    if (error.claim === 'nbf' || error.claim === 'iat')
      return ['not-yet-valid', 'the token is not valid yet'];
    return ['malformed', `claim "${error.claim}": ${error.message}`];
  }
  if (error instanceof errors.JWKSNoMatchingKey)
    return ['unknown-kid', "no key of the provider's JWKS matches the token"];
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return ['bad-signature', 'the signature does not verify'];
  if (error instanceof errors.JWKSTimeout) return ['jwks-unavailable', 'fetching the JWKS timed out'];
  if (error instanceof errors.JWKSInvalid) return ['jwks-unavailable', 'the JWKS is not a valid key set'];
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported
  ) {
    return ['malformed', error.message];
  }
  // Anything else comes from fetching the JWKS: a refused connection, a non-200 answer, bad JSON.
  return [
    'jwks-unavailable',
    `the JWKS could not be fetched: ${error instanceof Error ? error.message : String(error)}`,
  ];
}

const failure = (reason: AuthFailureReason, detail: string): AuthResult => ({ ok: false, reason, detail });
