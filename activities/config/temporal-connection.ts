import { readFile } from 'node:fs/promises';
import type { SwarmflowConfig } from '../../schema/config.ts';
import {
  type TemporalConnectionOptions,
  type TemporalTlsFiles,
  temporalConnectionOptions,
} from '../../schema/temporal-connection-options.ts';
import { type TemporalSecurity, temporalSecurityVariables } from '../../schema/temporal-security.ts';

/** A PEM file the Temporal connection's settings name that cannot be used; never shows the file's contents. */
export class TemporalTlsFileError extends Error {
  override readonly name = 'TemporalTlsFileError';
  constructor(
    /** The environment variable that names the file, e.g. TEMPORAL_TLS_CLIENT_KEY_PATH. */
    readonly variable: string,
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `${variable}: cannot use ${path}: ${reason}; fix the path or the file, or unset ${variable}`,
      options,
    );
  }
}

/** Which file is which, and the PEM block each must hold. */
const tlsFiles = [
  { file: 'serverCaCert', setting: 'serverCaCertPath', pem: 'CERTIFICATE' },
  { file: 'clientCert', setting: 'clientCertPath', pem: 'CERTIFICATE' },
  { file: 'clientKey', setting: 'clientKeyPath', pem: 'PRIVATE KEY' },
] as const;

/**
 * Reads the PEM files `security` names (relative paths from the working folder).
 * @throws TemporalTlsFileError naming the variable and path when a file cannot be read or holds
 * no PEM block of the expected kind (a certificate, a private key).
 */
export async function readTemporalTlsFiles(security: TemporalSecurity): Promise<TemporalTlsFiles> {
  const read = await Promise.all(
    tlsFiles.map(async ({ file, setting, pem }) => {
      const path = security[setting];
      if (path === undefined) return [];
      const variable = temporalSecurityVariables[setting];
      const contents = await readFile(path).catch((error: NodeJS.ErrnoException) => {
        throw new TemporalTlsFileError(variable, path, `cannot read it (${error.code ?? error.message})`, {
          cause: error,
        });
      });
      if (!new RegExp(`-----BEGIN [A-Z ]*${pem}-----`).test(contents.toString('latin1'))) {
        throw new TemporalTlsFileError(variable, path, `it holds no PEM "${pem}" block`);
      }
      return [[file, new Uint8Array(contents)] as const];
    }),
  );
  return Object.fromEntries(read.flat());
}

/**
 * The options to connect to the configured Temporal (`Connection.connect` or
 * `NativeConnection.connect`): its address, TLS with the named files read, and the API key.
 * Every process that connects to Temporal gets its options here.
 * @throws TemporalTlsFileError when a named file cannot be used.
 */
export async function loadTemporalConnectionOptions(
  config: Pick<SwarmflowConfig, 'temporalAddress' | 'temporalNamespace' | 'temporalSecurity'>,
): Promise<TemporalConnectionOptions> {
  return temporalConnectionOptions(
    { address: config.temporalAddress, namespace: config.temporalNamespace },
    config.temporalSecurity,
    await readTemporalTlsFiles(config.temporalSecurity),
  );
}
