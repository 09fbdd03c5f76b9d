import { execFile } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  temporalCli: string;
  temporalStore: string;
  postgres: string;
}

/** What the numbers were measured on. */
export async function describeMachine(
  temporal: string,
  temporalStore: string,
  postgres: string,
): Promise<MachineInfo> {
  const { stdout } = await run(temporal, ['--version'], { timeout: 10_000 });
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    temporalCli: stdout.trim(),
    temporalStore,
    postgres,
  };
}
