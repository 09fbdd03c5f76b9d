import { readFile } from 'node:fs/promises';

export interface MemorySample {
  /** Resident set size now. */
  rssMiB: number;
  /** Peak resident set size over the process's life (VmHWM). */
  peakMiB: number;
}

/** The resident memory of a process, from /proc/<pid>/status (Linux). */
export async function readMemory(pid: number): Promise<MemorySample> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return { rssMiB: field(status, 'VmRSS'), peakMiB: field(status, 'VmHWM') };
}

function field(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match?.[1]) throw new Error(`/proc status has no ${name}`);
  return Number(match[1]) / 1024;
}
