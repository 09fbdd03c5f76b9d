import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

/** An OIDC provider's signing side on loopback: a JWKS at `jwksUrl`, and tokens signed by its keys. */
export interface TestJwksProvider {
  jwksUrl: string;
  issuer: string;
  /** A token signed with the published key `kid` (or, with `unpublished`, a key the JWKS lacks). */
  sign(
    claims: JWTPayload,
    options?: { kid?: string; expiresIn?: string | number; unpublished?: boolean },
  ): Promise<string>;
  /** How many times the JWKS was fetched. */
  fetches(): number;
  close(): Promise<void>;
}

export async function startJwksProvider(): Promise<TestJwksProvider> {
  const published = await generateKeyPair('ES256');
  const unpublished = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(published.publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' };
  let fetches = 0;
  const server = createServer((request, response) => {
    if (request.url !== '/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  return {
    jwksUrl: `${issuer}/jwks.json`,
    issuer,
    sign(claims, options = {}) {
      const key: CryptoKey = options.unpublished ? unpublished.privateKey : published.privateKey;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'key-1' })
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(key);
    },
    fetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
