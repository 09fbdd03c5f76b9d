import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type MemorySample, readMemory } from '../memory.ts';
import type { WorkerReport, WorkerSpec } from './spec.ts';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
const readyTimeoutMs = 60_000;
const stopTimeoutMs = 30_000;

export interface WorkerProcess {
  pid: number;
  memory(): Promise<MemorySample>;
  /** How the process ended (`exit code 134`, `signal SIGKILL`), or undefined while it runs. */
  exitStatus(): string | undefined;
  /** Shuts the worker down gracefully; kills it when it does not exit in time. */
  stop(): Promise<void>;
}

/**
 * Starts a worker in a child process and resolves once it polls its task queue; with
 * `cpuProfileDir`, the process writes a V8 CPU profile of each of its threads there when it exits.
 */
export async function startWorkerProcess(spec: WorkerSpec, cpuProfileDir?: string): Promise<WorkerProcess> {
  const profiling = cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`];
  const child = fork(entry, [JSON.stringify(spec)], {
    execArgv: ['--import', 'tsx', ...profiling],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start a worker process');
  try {
    await waitUntilReady(child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    pid,
    memory: () => readMemory(pid),
    exitStatus: () => exitStatus(child),
    stop: () => stop(child),
  };
}

function waitUntilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`worker not ready within ${readyTimeoutMs / 1000} s`)),
      readyTimeoutMs,
    );
    const onMessage = (message: WorkerReport) => {
      if (message.type === 'ready') done();
      else done(new Error(`worker failed to start: ${message.message}`));
    };
    const onExit = (code: number | null) => done(new Error(`worker exited (${code}) before it was ready`));
    function done(error?: Error) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function exitStatus(child: ChildProcess): string | undefined {
  if (child.signalCode !== null) return `signal ${child.signalCode}`;
  return child.exitCode === null ? undefined : `exit code ${child.exitCode}`;
}

async function stop(child: ChildProcess): Promise<void> {
  if (exitStatus(child) !== undefined) return;
  const exited = once(child, 'exit');
  if (child.connected) child.send('stop');
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}
