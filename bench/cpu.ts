import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** A process whose CPU time a measurement accounts for. */
export interface MeteredProcess {
  label: string;
  pid: number;
}

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc/<pid>/stat (Linux). */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start with the state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / ticksPerSecond;
}

/** CPU time of each process, by label. */
export async function cpuSnapshot(processes: readonly MeteredProcess[]): Promise<Map<string, number>> {
  const entries = await Promise.all(
    processes.map(async ({ label, pid }) => [label, await cpuMs(pid)] as const),
  );
  return new Map(entries);
}
