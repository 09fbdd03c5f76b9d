import { z } from 'zod';

/**
 * How Swarmflow's processes secure their connection to Temporal: TLS, mutual TLS (a client
 * certificate) and Temporal Cloud API keys. Read from the environment variables Temporal's own
 * CLI and SDKs use (Temporal's "environment configuration"), so one set of variables serves the
 * `temporal` CLI and Swarmflow alike. Pure: files are named here and read elsewhere.
 */

/** A secret that never shows itself when logged, printed as JSON or inspected; `reveal()` gives it. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret([redacted])';
  }
}

/** The environment variable behind each setting, as Temporal's environment configuration names it. */
export const temporalSecurityVariables = {
  tls: 'TEMPORAL_TLS',
  serverCaCertPath: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  serverName: 'TEMPORAL_TLS_SERVER_NAME',
  clientCertPath: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  clientKeyPath: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  apiKey: 'TEMPORAL_API_KEY',
} as const;
type Setting = keyof typeof temporalSecurityVariables;

const variable = (setting: Setting) => temporalSecurityVariables[setting];
const Path = z.string().trim().min(1);

/**
 * The connection's security. Absent settings leave it plain, as a local dev server wants. Any
 * file or an API key turns TLS on unless `tls` is false: Temporal Cloud needs nothing but
 * `apiKey` (or a client certificate and key) and the address and namespace.
 */
export const TemporalSecurity = z
  .strictObject({
    tls: z
      .boolean({ error: `${variable('tls')} must be true or false (or 1 or 0)` })
      .optional()
      .describe('TLS on or off; when absent, on exactly when a certificate, CA or API key is given'),
    serverCaCertPath: Path.optional().describe(
      "PEM file of the CA that signed the server's certificate; default: the system's trusted CAs",
    ),
    serverName: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe("the name to check the server's certificate against (and SNI) instead of the address's host"),
    clientCertPath: Path.optional().describe('PEM file of the client certificate, for mutual TLS'),
    clientKeyPath: Path.optional().describe("PEM file of the client certificate's private key"),
    apiKey: z
      .union(
        [
          z.instanceof(Secret),
          z
            .string()
            .min(1)
            .transform((key) => new Secret(key)),
        ],
        {
          error: `${variable('apiKey')} must be a non-empty string`,
        },
      )
      .optional()
      .describe('Temporal Cloud API key, sent as `authorization: Bearer <key>`'),
  })
  .superRefine((security, context) => {
    const problem = (path: Setting, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    if (security.clientCertPath && !security.clientKeyPath) {
      problem(
        'clientKeyPath',
        `a client certificate (${variable('clientCertPath')}) needs its private key: set ${variable('clientKeyPath')} to the key's PEM file`,
      );
    }
    if (security.clientKeyPath && !security.clientCertPath) {
      problem(
        'clientCertPath',
        `a client key (${variable('clientKeyPath')}) needs its certificate: set ${variable('clientCertPath')} to the certificate's PEM file`,
      );
    }
    if (security.tls === false) {
      for (const setting of ['serverCaCertPath', 'serverName', 'clientCertPath', 'clientKeyPath'] as const) {
        if (security[setting] !== undefined) {
          problem(
            setting,
            `${variable(setting)} is set but ${variable('tls')} is false: remove ${variable(setting)}, or set ${variable('tls')}=true`,
          );
        }
      }
    }
  });
export type TemporalSecurity = z.infer<typeof TemporalSecurity>;
export type TemporalSecurityInput = z.input<typeof TemporalSecurity>;

/** Whether the connection uses TLS: as `tls` says, else when anything but plain TCP is configured. */
export function usesTls(security: TemporalSecurity): boolean {
  if (security.tls !== undefined) return security.tls;
  const { serverCaCertPath, serverName, clientCertPath, clientKeyPath, apiKey } = security;
  return [serverCaCertPath, serverName, clientCertPath, clientKeyPath, apiKey].some(
    (set) => set !== undefined,
  );
}

const booleans: Readonly<Record<string, boolean>> = { true: true, '1': true, false: false, '0': false };

/**
 * The settings the environment gives, unchecked (TemporalSecurity checks them). An empty
 * variable counts as unset. A `TEMPORAL_TLS` that is not true/false/1/0 is passed on as it is,
 * so that the schema's error names the variable.
 */
export function temporalSecurityFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const read = (setting: Setting) => env[variable(setting)] || undefined;
  const tls = read('tls');
  const apiKey = read('apiKey');
  return {
    tls: tls === undefined ? undefined : (booleans[tls.trim().toLowerCase()] ?? tls),
    serverCaCertPath: read('serverCaCertPath'),
    serverName: read('serverName'),
    clientCertPath: read('clientCertPath'),
    clientKeyPath: read('clientKeyPath'),
    apiKey: apiKey === undefined ? undefined : new Secret(apiKey),
  };
}
