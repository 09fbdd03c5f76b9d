import type { SwarmflowConfig } from '../../schema/config.ts';
import {
  type TemporalSecurity,
  usesTls,
  temporalSecurityVariables as variables,
} from '../../schema/temporal-security.ts';

/**
 * Temporal did not answer, or refused the connection (a TLS handshake that failed, a client
 * certificate it did not accept). The message says how the connection was made, so a wrong
 * setting shows; it names files and whether an API key was sent, never the key itself.
 */
export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';
  readonly address: string;
  constructor(config: Pick<SwarmflowConfig, 'temporalAddress' | 'temporalSecurity'>, cause: unknown) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    super(
      `cannot connect to Temporal at ${config.temporalAddress} ${describeSecurity(config.temporalSecurity)}: ${reason}; ${fix(config.temporalSecurity)}`,
      { cause },
    );
    this.address = config.temporalAddress;
  }
}

function describeSecurity(security: TemporalSecurity): string {
  if (!usesTls(security)) return security.apiKey ? 'over plain TCP with an API key' : 'over plain TCP';
  const parts = [
    `server CA ${security.serverCaCertPath ?? "from the system's trusted CAs"}`,
    ...(security.serverName ? [`server name ${security.serverName}`] : []),
    security.clientCertPath ? `client certificate ${security.clientCertPath}` : 'no client certificate',
    security.apiKey ? 'an API key' : 'no API key',
  ];
  return `over TLS (${parts.join(', ')})`;
}

function fix(security: TemporalSecurity): string {
  if (!usesTls(security)) {
    return `start it with \`swarmflow server start\` or set TEMPORAL_ADDRESS (and ${variables.tls}, ${variables.apiKey} or ${variables.clientCertPath} for a server that requires them)`;
  }
  return `check TEMPORAL_ADDRESS, ${variables.serverCaCertPath}, ${variables.serverName}, ${variables.clientCertPath} and ${variables.apiKey} against what the server requires (or set ${variables.tls}=false for a server without TLS)`;
}
