import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { swarmflowMetricNames } from '../../../activities/metrics/swarmflow-metrics.ts';
import { temporalMetricFamilies } from '../../../activities/metrics/temporal-metric-families.ts';
import { freePort } from '../../support/free-port.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { TcpProxy } from '../../support/tcp-proxy.ts';
import { startWorkerProcess } from '../../support/worker-process.ts';
import { stopProcess } from '../tier3/support/mcp-servers.ts';

/**
 * `swarmflow worker --metrics-port`: after one run with a scripted LLM step, its `/metrics` carries
 * every Swarmflow metric family and the Temporal core's we rely on; `/readyz` follows PostgreSQL
 * (cut through a TCP proxy) down and up again.
 */

let stack: TestStack;
let folder: string;
let proxy: TcpProxy;
let worker: ChildProcess | undefined;
let endpoint: string;

beforeAll(async () => {
  stack = await startTestStack();
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-metrics-'));
  const config = {
    models: { greeter: { provider: 'scripted', turns: [{ text: 'Hello!' }] } },
    defaultModel: 'greeter',
  };
  await writeFile(join(folder, 'swarmflow.config.json'), JSON.stringify(config));
  const database = new URL(inject('databaseUrl'));
  proxy = await TcpProxy.start({ host: database.hostname, port: Number(database.port || 5432) });
  database.port = String(proxy.port);
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  worker = await startWorkerProcess(
    stack.config,
    { SWARMFLOW_CONFIG: join(folder, 'swarmflow.config.json'), DATABASE_URL: database.toString() },
    ['--metrics-port', String(port), '--metrics-host', '127.0.0.1'],
  );
});
afterAll(async () => {
  if (worker) await stopProcess(worker);
  await proxy?.stop();
  await stack?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function readiness(): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${endpoint}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('a worker’s operations endpoint', () => {
  it('exports Swarmflow’s and Temporal’s metrics after a run', async () => {
    await stack.client.registerRoutine({
      id: 'metrics-greeting',
      body: { kind: 'sequence', steps: [{ id: 'greet', prompt: 'Say hello' }] },
    });
    const { runId } = await stack.client.startRun({ routineId: 'metrics-greeting' });
    expect(await stack.client.awaitRun(runId)).toMatchObject({ status: 'completed' });

    const response = await fetch(`${endpoint}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const family of [...swarmflowMetricNames(), ...temporalMetricFamilies])
      expect(text, family).toMatch(new RegExp(`^# TYPE ${family} `, 'm'));
    expect(text).toContain('swarmflow_runs_started_total{routine="metrics-greeting"} 1');
    expect(text).toContain('swarmflow_runs_ended_total{routine="metrics-greeting",status="completed"} 1');
    expect(text).toMatch(
      /^swarmflow_step_duration_seconds_count\{task_type="llm",strategy="conversational",status="completed"\} 1$/m,
    );
    expect(text).toMatch(
      /^swarmflow_llm_tokens_total\{model="greeter",tenant="default",direction="output"\} \d+$/m,
    );
    expect(text).toMatch(/^temporal_workflow_task_schedule_to_start_latency_seconds_count\{.*\} [1-9]/m);
    // A deployment-wide count over the shared test database: other files' runs may be parked too.
    expect(text).toMatch(/^swarmflow_incidents_open \d+$/m);
  });

  it('is ready while Temporal, PostgreSQL and polling are, and says which is not', async () => {
    await expect.poll(async () => (await readiness()).status).toBe(200);
    expect((await readiness()).body).toEqual({
      status: 'ready',
      temporal: 'ok',
      database: 'ok',
      taskQueue: 'ok',
    });
    expect((await fetch(`${endpoint}/healthz`)).status).toBe(200);

    await proxy.refuse();
    await expect.poll(async () => (await readiness()).status).toBe(503);
    const { body } = await readiness();
    expect(body).toMatchObject({ status: 'unavailable', temporal: 'ok', taskQueue: 'ok' });
    expect(body.database).not.toBe('ok');
    expect((await fetch(`${endpoint}/healthz`)).status).toBe(200);

    await proxy.admit();
    await expect.poll(async () => (await readiness()).status).toBe(200);
  });
});
