import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import type { SwarmflowClient } from '../../../client/sdk.ts';
import { bpmnProcess, flows, serviceTask } from '../../support/bpmn.ts';

/** A BPMN routine of `count` service tasks `s1`…`sN` in a row, each sleeping `ms`; returns the element ids, start to end. */
export async function registerSleepChain(
  client: SwarmflowClient,
  routineId: string,
  count: number,
  ms: number,
): Promise<{ steps: string[]; chain: string[] }> {
  const steps = Array.from({ length: count }, (_, index) => `s${index + 1}`);
  const chain = ['start', ...steps, 'end'];
  const xml = bpmnProcess(`
    <bpmn:startEvent id="start" />
    ${steps.map((id) => serviceTask(id, 'sleep', { ms: String(ms) })).join('\n')}
    <bpmn:endEvent id="end" />
    ${flows(...chain.slice(1).map((id, i) => [chain[i] as string, id] as [string, string]))}`);
  await client.registerRoutine({ id: routineId, body: { kind: 'bpmn', xml } });
  return { steps, chain };
}

/** Waits until the run has executed at least `count` steps. */
export async function runPast(client: SwarmflowClient, runId: string, count: number): Promise<void> {
  await expect
    .poll(async () => (await client.getRunState(runId)).stepsExecuted, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(count);
}

/**
 * The run completed through every element once, its read model holds one run row and one
 * step row per step; returns the highest attempt a step row records (above 1: Temporal retried it).
 */
export async function expectCompletedOnce(
  client: SwarmflowClient,
  runId: string,
  { steps, chain }: { steps: string[]; chain: string[] },
): Promise<number> {
  const outcome = await client.awaitRun(runId);
  expect(outcome.status).toBe('completed');
  expect(outcome.trace.map((entry) => entry.elementId)).toEqual(chain);
  const runs = await client.db.selectFrom('runs').select('status').where('run_id', '=', runId).execute();
  expect(runs).toEqual([{ status: 'completed' }]);
  const rows = await client.db
    .selectFrom('run_steps')
    .select(['step_key', 'attempt', 'status'])
    .where('run_id', '=', runId)
    .execute();
  expect(rows.map((row) => row.step_key).sort()).toEqual(steps.map((id) => `${id}#1`).sort());
  expect(new Set(rows.map((row) => row.status))).toEqual(new Set(['completed']));
  return Math.max(...rows.map((row) => row.attempt));
}

/** Collects the database lines a worker process logs from now on (the messages of its JSON log lines on stdout). */
export function workerLog(worker: ChildProcess): { lines(): string[] } {
  let text = '';
  worker.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const message = (line: string): string => {
    try {
      return String(JSON.parse(line).msg ?? '');
    } catch {
      return line;
    }
  };
  return {
    lines: () =>
      text
        .split('\n')
        .map(message)
        .filter((line) => line.startsWith('database ')),
  };
}
