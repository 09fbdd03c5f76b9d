import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The `swarmflow` command as a user runs it. */
export const cliPath = fileURLToPath(new URL('../../bin/swarmflow.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `swarmflow <args>` with `env` over this process's environment and returns its exit code
 * and output, whatever the code. Killed after `timeoutMs`.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<CliResult> {
  return promisify(execFile)(process.execPath, [cliPath, ...args], {
    env: { ...process.env, ...env },
    timeout: timeoutMs,
  })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
    .catch((error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }));
}
