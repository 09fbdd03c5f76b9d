import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodecServerHandle, startCodecServer } from '../../../client/codec-server.ts';
import { SwarmflowClient } from '../../../client/sdk.ts';
import { loadPayloadEncryption, type PayloadEncryption } from '../../../workers/codec/data-converter.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

type History = proto.temporal.api.history.v1.IHistory;

const secret = () => randomBytes(32).toString('base64');
const oldKey = `old-${randomUUID().slice(0, 8)}:${secret()}`;
const newKey = `new-${randomUUID().slice(0, 8)}:${secret()}`;
const encryption = (keys: string): PayloadEncryption =>
  loadPayloadEncryption({ SWARMFLOW_ENCRYPTION_KEYS: keys });
const before = encryption(oldKey);
const rotated = encryption(`${newKey},${oldKey}`);

// A name no other run on the shared dev server carries, to look for in the raw history.
const name = `Ada ${randomUUID()}`;
const greeting = async () =>
  JSON.parse(await readFile(new URL('../../../examples/greeting.sequence.json', import.meta.url), 'utf8'));

let stack: TestStack;
let raw: Client;
let firstWorker: Worker;
let firstRun: { runId: string; workflowId: string };

beforeAll(async () => {
  stack = await startTestStack(
    { tenantId: `codec-${randomUUID()}` },
    { dataConverter: before.dataConverter },
  );
  firstWorker = await stack.startWorker();
  raw = new Client({
    connection: await Connection.connect({ address: stack.config.temporalAddress }),
    namespace: stack.config.temporalNamespace,
  });
  await stack.client.registerRoutine(await greeting());
  firstRun = await stack.client.startRun({ routineId: 'greeting', input: { name } });
  expect(await stack.client.awaitRun(firstRun.runId)).toMatchObject({
    status: 'completed',
    outputs: { name, shouted: `HELLO, ${name.toUpperCase()}!` },
  });
});
afterAll(async () => {
  await raw?.connection.close();
  await stack?.stop();
});

/**
 * Every payload in the history that goes through the data converter (inputs, results, signals,
 * memo, local activity markers); not search attributes, which Temporal must read to index them,
 * nor the patch markers the SDK writes itself (a patch id such as "metered-steps").
 */
function payloadsOf(value: unknown, found: Payload[] = []): Payload[] {
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return found;
  if ('markerName' in value && value.markerName === 'core_patch') return found;
  if ('data' in value && 'metadata' in value && typeof value.metadata === 'object')
    found.push(value as Payload);
  else
    for (const [key, child] of Object.entries(value))
      if (key !== 'searchAttributes') payloadsOf(child, found);
  return found;
}

const keyIdOf = (payload: Payload) => Buffer.from(payload.metadata?.['encryption-key-id'] ?? []).toString();
const startInput = (history: History) =>
  history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];

async function decodedInput(history: History, codec: PayloadEncryption['codec']): Promise<unknown> {
  const [input] = await codec.decode(startInput(history));
  if (!input) throw new Error('the run has no input');
  return defaultPayloadConverter.fromPayload(input);
}

describe('payload encryption on the dev server', () => {
  it('leaves nothing of the run input readable in the raw history, and decodes with the key', async () => {
    const history = await raw.workflow.getHandle(firstRun.workflowId).fetchHistory();
    const bytes = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish());
    expect(bytes.includes(Buffer.from('Ada'))).toBe(false);
    const payloads = payloadsOf(history.events);
    expect(payloads.length).toBeGreaterThan(3);
    for (const payload of payloads) {
      expect(Buffer.from(payload.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
      expect(keyIdOf(payload)).toBe(oldKey.split(':')[0]);
    }
    expect(await decodedInput(history, before.codec)).toMatchObject({ variables: { name } });
  });

  it('after a rotation, decodes and replays the old run, and encrypts a new run with the new key', async () => {
    await stack.stopWorker(firstWorker);
    await stack.startWorker({ dataConverter: rotated.dataConverter });
    const client = await SwarmflowClient.connect({
      config: stack.config,
      dataConverter: rotated.dataConverter,
    });
    try {
      const oldHistory = await raw.workflow.getHandle(firstRun.workflowId).fetchHistory();
      expect(await decodedInput(oldHistory, rotated.codec)).toMatchObject({ variables: { name } });
      await expect(rotated.codec.decode(payloadsOf(oldHistory.events))).resolves.toBeDefined();
      // Asking the finished run for its state makes the rotated worker replay its whole history.
      expect(await client.getRunState(firstRun.runId)).toMatchObject({ status: 'completed' });
      expect(await client.awaitRun(firstRun.runId)).toMatchObject({ status: 'completed', outputs: { name } });

      const second = await client.startRun({ routineId: 'greeting', input: { name } });
      expect(await client.awaitRun(second.runId)).toMatchObject({ status: 'completed', outputs: { name } });
      const newHistory = await raw.workflow.getHandle(second.workflowId).fetchHistory();
      expect(new Set(payloadsOf(newHistory.events).map(keyIdOf))).toEqual(new Set([newKey.split(':')[0]]));
      await expect(before.codec.decode(startInput(newHistory))).rejects.toThrow(
        `a payload is encrypted with key id "${newKey.split(':')[0]}", which SWARMFLOW_ENCRYPTION_KEYS does not hold`,
      );
    } finally {
      await client.close();
    }
  });
});

describe('swarmflow codec server', () => {
  const token = randomBytes(24).toString('base64url');
  let server: CodecServerHandle;
  beforeAll(async () => {
    server = await startCodecServer({ codec: rotated.codec, host: '127.0.0.1', port: 0, token });
  });
  afterAll(() => server?.close());

  const post = (path: string, body: unknown, authorization?: string) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
  const json = (payloads: Payload[]) => ({
    payloads: payloads.map((payload) => ({
      metadata: Object.fromEntries(
        Object.entries(payload.metadata ?? {}).map(([key, value]) => [
          key,
          Buffer.from(value).toString('base64'),
        ]),
      ),
      data: Buffer.from(payload.data ?? []).toString('base64'),
    })),
  });

  it('decodes a run input from the history for a caller with the token, and refuses one without', async () => {
    const history = await raw.workflow.getHandle(firstRun.workflowId).fetchHistory();
    const body = json(startInput(history));
    const decoded = await post('/default/decode', body, `Bearer ${token}`);
    expect(decoded.status).toBe(200);
    const { payloads } = (await decoded.json()) as {
      payloads: { metadata: Record<string, string>; data: string }[];
    };
    expect(Buffer.from(payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payloads[0]?.data ?? '', 'base64').toString())).toMatchObject({
      variables: { name },
    });

    for (const authorization of [undefined, 'Bearer wrong-token-of-some-length', token]) {
      const refused = await post('/decode', body, authorization);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await refused.text()).not.toContain(name);
    }
  });
});
