import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SwarmflowConfig } from '../../schema/config.ts';

const cli = fileURLToPath(new URL('../../bin/swarmflow.js', import.meta.url));

/**
 * A `swarmflow worker` process on the stack's task queue (with `env` added, e.g. SWARMFLOW_CONFIG,
 * and `args` after `worker`); resolves once it polls. The caller kills it.
 */
export function startWorkerProcess(
  config: SwarmflowConfig,
  env: NodeJS.ProcessEnv = {},
  args: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, 'worker', ...args], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: config.temporalAddress,
      DATABASE_URL: config.databaseUrl,
      SWARMFLOW_TASK_QUEUE: config.taskQueue,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    // The worker's log (JSON lines on stdout) says when it polls; both pipes are read to the end so it never blocks.
    const read = (chunk: Buffer) => {
      if (output.length < 1_000_000) output += chunk.toString();
      if (output.includes('worker polling')) resolve(child);
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
}

/** SIGKILLs a worker process and waits until it is gone. */
export async function killWorkerProcess(worker: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.kill('SIGKILL');
  await exited;
}
