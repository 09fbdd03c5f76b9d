import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadTemporalConnectionOptions } from '../../../activities/config/temporal-connection.ts';
import { TemporalUnreachableError } from '../../../activities/config/temporal-unreachable-error.ts';
import { SwarmflowClient } from '../../../client/sdk.ts';
import type { SwarmflowConfig } from '../../../schema/config.ts';
import type { TemporalSecurityInput } from '../../../schema/temporal-security.ts';
import { TemporalSecurity } from '../../../schema/temporal-security.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { createTestPki, type TestPki } from '../../support/test-pki.ts';
import { TlsProxy } from '../../support/tls-proxy.ts';

// Temporal behind a TLS terminator that demands a client certificate, as a production
// deployment or Temporal Cloud with mTLS is: the SDK's client and the worker's native
// connection both reach it with the configured certificate, and neither does without one.

let stack: TestStack;
let pki: TestPki;
let proxy: TlsProxy;

beforeAll(async () => {
  stack = await startTestStack();
  pki = await createTestPki(await mkdtemp(join(inject('testDataDir'), 'pki-')));
  const [host = '', port = ''] = stack.config.temporalAddress.split(':');
  proxy = await TlsProxy.start({ host, port: Number(port) }, pki);
});
afterAll(async () => {
  await stack?.stop();
  await proxy?.stop();
});

/** The stack's configuration pointed at the TLS proxy, secured as `security` says. */
const behindProxy = (security: TemporalSecurityInput): SwarmflowConfig => ({
  ...stack.config,
  temporalAddress: proxy.address,
  temporalSecurity: TemporalSecurity.parse(security),
});
const serverTrust = () => ({ serverCaCertPath: pki.caCert, serverName: pki.serverName });
const mutualTls = () => ({ ...serverTrust(), clientCertPath: pki.clientCert, clientKeyPath: pki.clientKey });

const greeting = async () =>
  JSON.parse(await readFile(new URL('../../../examples/greeting.sequence.json', import.meta.url), 'utf8'));

describe('Temporal over mutual TLS', () => {
  it('carries a run from an SDK client to a worker, both with the client certificate', async () => {
    const config = behindProxy(mutualTls());
    const connection = await NativeConnection.connect(await loadTemporalConnectionOptions(config));
    const client = await SwarmflowClient.connect({ config, dataConverter: stack.dataConverter });
    const worker = await stack.startWorker({ connection });
    try {
      await stack.client.registerRoutine(await greeting());
      const { runId, workflowId } = await client.startRun({ routineId: 'greeting', input: { name: 'Ada' } });
      expect(await client.awaitRun(runId)).toMatchObject({ status: 'completed' });

      const listed: string[] = [];
      for await (const execution of client.temporal.workflow.list({
        query: `WorkflowId = '${workflowId}'`,
      })) {
        listed.push(`${execution.workflowId} ${execution.status.name}`);
      }
      expect(listed).toEqual([`${workflowId} COMPLETED`]);
      // Both connections went through the proxy's handshake with the test client's certificate.
      expect(new Set(proxy.acceptedClients)).toEqual(new Set([pki.clientName]));
      expect(proxy.acceptedClients.length).toBeGreaterThanOrEqual(2);
    } finally {
      await client.close();
      await stack.stopWorker(worker);
      await connection.close();
    }
  });

  it('refuses a client without a certificate, saying how it tried to connect', async () => {
    const refusedBefore = proxy.refusedHandshakes;
    const config = behindProxy(serverTrust());
    const error = await SwarmflowClient.connect({ config }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TemporalUnreachableError);
    expect((error as Error).message).toContain(
      `cannot connect to Temporal at ${proxy.address} over TLS (server CA ${pki.caCert}, server name ${pki.serverName}, no client certificate, no API key)`,
    );
    expect((error as Error).message).toContain('TEMPORAL_TLS_CLIENT_CERT_PATH');
    expect(proxy.refusedHandshakes).toBeGreaterThan(refusedBefore);

    await expect(NativeConnection.connect(await loadTemporalConnectionOptions(config))).rejects.toThrow();
  });
});
