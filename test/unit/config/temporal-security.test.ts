import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadTemporalConnectionOptions,
  readTemporalTlsFiles,
  TemporalTlsFileError,
} from '../../../activities/config/temporal-connection.ts';
import { TemporalUnreachableError } from '../../../activities/config/temporal-unreachable-error.ts';
import { loadConfig } from '../../../schema/config.ts';
import { temporalConnectionOptions } from '../../../schema/temporal-connection-options.ts';
import { ValidationError } from '../../../schema/validation.ts';

const apiKey = 'tcld-secret-0123456789abcdef';
const base = { TEMPORAL_ADDRESS: 'acme.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'acme.a1b2c' };
const target = { address: base.TEMPORAL_ADDRESS, namespace: base.TEMPORAL_NAMESPACE };

const certificate = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n';
const privateKey = '-----BEGIN PRIVATE KEY-----\nMIIEsecretkeymaterial\n-----END PRIVATE KEY-----\n';

/** The problems loadConfig reports for `env`, or none. */
function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig({ ...base, ...env });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).problems;
  }
}

describe('Temporal connection security from the environment', () => {
  it('is plain TCP without any setting, as a local dev server wants', () => {
    const { temporalSecurity } = loadConfig(base);
    expect(temporalConnectionOptions(target, temporalSecurity, {})).toEqual({
      address: base.TEMPORAL_ADDRESS,
      tls: false,
    });
  });

  it('turns TLS on with TEMPORAL_TLS, checking the server against the system CAs', () => {
    for (const value of ['true', '1', 'TRUE']) {
      const { temporalSecurity } = loadConfig({ ...base, TEMPORAL_TLS: value });
      expect(temporalConnectionOptions(target, temporalSecurity, {}).tls).toEqual({});
    }
  });

  it('refuses a TEMPORAL_TLS that is not a boolean, naming the variable', () => {
    expect(problems({ TEMPORAL_TLS: 'yes' })).toEqual([
      'temporalSecurity.tls: TEMPORAL_TLS must be true or false (or 1 or 0)',
    ]);
  });

  it('refuses a client certificate without its key, and a key without its certificate', () => {
    expect(problems({ TEMPORAL_TLS_CLIENT_CERT_PATH: 'client.pem' })).toEqual([
      expect.stringMatching(
        /^temporalSecurity\.clientKeyPath: a client certificate \(TEMPORAL_TLS_CLIENT_CERT_PATH\) needs its private key: set TEMPORAL_TLS_CLIENT_KEY_PATH/,
      ),
    ]);
    expect(problems({ TEMPORAL_TLS_CLIENT_KEY_PATH: 'client.key' })).toEqual([
      expect.stringMatching(/^temporalSecurity\.clientCertPath: .*set TEMPORAL_TLS_CLIENT_CERT_PATH/),
    ]);
  });

  it('refuses TLS files when TLS is turned off', () => {
    expect(problems({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_CA_CERT_PATH: 'ca.pem' })).toEqual([
      'temporalSecurity.serverCaCertPath: TEMPORAL_TLS_SERVER_CA_CERT_PATH is set but TEMPORAL_TLS is false: remove TEMPORAL_TLS_SERVER_CA_CERT_PATH, or set TEMPORAL_TLS=true',
    ]);
  });

  it('sends an API key as a bearer token over TLS, with the namespace header Temporal Cloud routes by', () => {
    const { temporalSecurity } = loadConfig({ ...base, TEMPORAL_API_KEY: apiKey });
    expect(temporalConnectionOptions(target, temporalSecurity, {})).toEqual({
      address: base.TEMPORAL_ADDRESS,
      tls: {},
      apiKey,
      metadata: { 'temporal-namespace': base.TEMPORAL_NAMESPACE },
    });
  });

  it('keeps an API key on plain TCP when TLS is turned off on purpose', () => {
    const { temporalSecurity } = loadConfig({ ...base, TEMPORAL_API_KEY: apiKey, TEMPORAL_TLS: 'false' });
    expect(temporalConnectionOptions(target, temporalSecurity, {})).toMatchObject({ tls: false, apiKey });
  });

  it('never shows the API key when the configuration is printed, inspected or refused', () => {
    const config = loadConfig({ ...base, TEMPORAL_API_KEY: apiKey });
    expect(JSON.stringify(config)).not.toContain(apiKey);
    expect(inspect(config, { depth: 10 })).not.toContain(apiKey);
    expect(`${config.temporalSecurity.apiKey}`).toBe('[redacted]');
    const refused = problems({ TEMPORAL_API_KEY: apiKey, TEMPORAL_TLS_CLIENT_CERT_PATH: 'c.pem' });
    expect(refused.join('\n')).not.toContain(apiKey);
    const unreachable = new TemporalUnreachableError(config, new Error('14 UNAVAILABLE: handshake failed'));
    expect(unreachable.message).toContain('an API key');
    expect(unreachable.message).not.toContain(apiKey);
  });
});

describe('TLS files', () => {
  let dir: string;
  const path = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'swarmflow-tls-'));
    await writeFile(path('ca.pem'), certificate);
    await writeFile(path('client.pem'), certificate);
    await writeFile(path('client.key'), privateKey);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('become the CA, the client certificate pair and the server name of the connection', async () => {
    const config = loadConfig({
      ...base,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: path('ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      TEMPORAL_TLS_CLIENT_CERT_PATH: path('client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: path('client.key'),
    });
    const options = await loadTemporalConnectionOptions(config);
    const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString();
    expect(options.tls).not.toBe(false);
    if (options.tls === false) return;
    expect(options.tls.serverNameOverride).toBe('temporal.internal');
    expect(text(options.tls.serverRootCACertificate)).toBe(certificate);
    expect(text(options.tls.clientCertPair?.crt)).toBe(certificate);
    expect(text(options.tls.clientCertPair?.key)).toBe(privateKey);
    expect(options.apiKey).toBeUndefined();
  });

  it('that cannot be read are named with their variable and path', async () => {
    const missing = path('nowhere.key');
    const { temporalSecurity } = loadConfig({
      ...base,
      TEMPORAL_TLS_CLIENT_CERT_PATH: path('client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: missing,
    });
    const error = await readTemporalTlsFiles(temporalSecurity).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TemporalTlsFileError);
    expect(error).toMatchObject({ variable: 'TEMPORAL_TLS_CLIENT_KEY_PATH', path: missing });
    expect((error as Error).message).toBe(
      `TEMPORAL_TLS_CLIENT_KEY_PATH: cannot use ${missing}: cannot read it (ENOENT); fix the path or the file, or unset TEMPORAL_TLS_CLIENT_KEY_PATH`,
    );
  });

  it('of the wrong kind are refused without showing their contents', async () => {
    // Certificate and key swapped: the key's material must not appear in the error.
    const { temporalSecurity } = loadConfig({
      ...base,
      TEMPORAL_TLS_CLIENT_CERT_PATH: path('client.key'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: path('client.pem'),
    });
    const error = await readTemporalTlsFiles(temporalSecurity).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TemporalTlsFileError);
    expect((error as Error).message).toMatch(
      /^TEMPORAL_TLS_CLIENT_(CERT|KEY)_PATH: cannot use .* holds no PEM/,
    );
    expect((error as Error).message).not.toContain('secretkeymaterial');
  });
});
