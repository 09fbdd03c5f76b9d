import { type TemporalSecurity, usesTls } from './temporal-security.ts';

/** The PEM files a TemporalSecurity names, as read (activities/config/temporal-connection.ts reads them). */
export interface TemporalTlsFiles {
  serverCaCert?: Uint8Array;
  clientCert?: Uint8Array;
  clientKey?: Uint8Array;
}

/**
 * What both `Connection.connect` (@temporalio/client) and `NativeConnection.connect`
 * (@temporalio/worker) take to reach and authenticate to Temporal. It holds the API key and the
 * client key: pass it to the SDK, never to a log.
 */
export interface TemporalConnectionOptions {
  address: string;
  /** False for plain TCP (also with an API key, when TLS was turned off on purpose). */
  tls:
    | false
    | {
        serverNameOverride?: string;
        serverRootCACertificate?: Uint8Array;
        clientCertPair?: { crt: Uint8Array; key: Uint8Array };
      };
  /** Sent as `authorization: Bearer <apiKey>` on every call. */
  apiKey?: string;
  /** Temporal Cloud routes API-key calls by the `temporal-namespace` header. */
  metadata?: Record<string, string>;
}

/** Where to connect: the frontend's `host:port` and the namespace the connection's calls use. */
export interface TemporalTarget {
  address: string;
  namespace: string;
}

/**
 * The connection options for `target` secured as `security` says, the files it names being
 * `files`. Pure: the same settings always give the same options.
 * @throws Error when `security` names a file that `files` lacks (a caller's bug: read them all).
 */
export function temporalConnectionOptions(
  target: TemporalTarget,
  security: TemporalSecurity,
  files: TemporalTlsFiles,
): TemporalConnectionOptions {
  const apiKey = security.apiKey?.reveal();
  return {
    address: target.address,
    tls: usesTls(security) ? tlsOptions(security, files) : false,
    ...(apiKey === undefined ? {} : { apiKey, metadata: { 'temporal-namespace': target.namespace } }),
  };
}

function tlsOptions(
  security: TemporalSecurity,
  files: TemporalTlsFiles,
): Exclude<TemporalConnectionOptions['tls'], false> {
  const file = (name: keyof TemporalTlsFiles, path: string | undefined) => {
    if (path === undefined) return undefined;
    const contents = files[name];
    if (contents === undefined) throw new Error(`the TLS file ${path} was not read (${name})`);
    return contents;
  };
  const serverCa = file('serverCaCert', security.serverCaCertPath);
  const clientCert = file('clientCert', security.clientCertPath);
  const clientKey = file('clientKey', security.clientKeyPath);
  return {
    ...(security.serverName === undefined ? {} : { serverNameOverride: security.serverName }),
    ...(serverCa === undefined ? {} : { serverRootCACertificate: serverCa }),
    ...(clientCert === undefined || clientKey === undefined
      ? {}
      : { clientCertPair: { crt: clientCert, key: clientKey } }),
  };
}
