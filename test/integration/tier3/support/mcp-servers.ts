import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The installed bin of a devDependency MCP server (never `npx -y`). */
export function serverBin(
  name: 'mcp-server-everything' | 'mcp-server-memory' | 'mcp-server-filesystem',
): string {
  return fileURLToPath(new URL(`../../../../node_modules/.bin/${name}`, import.meta.url));
}

/** The three reference MCP servers over stdio, as a deployment's `mcpServers`; `folder` holds their files. */
export function referenceServers(folder: string) {
  return {
    everything: { command: serverBin('mcp-server-everything'), args: ['stdio'] },
    memory: {
      command: serverBin('mcp-server-memory'),
      env: { MEMORY_FILE_PATH: join(folder, 'memory.jsonl') },
    },
    filesystem: { command: serverBin('mcp-server-filesystem'), args: [folder] },
  };
}

export interface HttpServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** server-everything serving Streamable HTTP on `port` (its `streamableHttp` argument, port from PORT). */
export async function startEverythingHttp(port: number): Promise<HttpServer> {
  const child = spawn(serverBin('mcp-server-everything'), ['streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on port')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server-everything exited with ${code}: ${output}`)));
  });
  return { url: `http://127.0.0.1:${port}/mcp`, process: child, stop: () => stopProcess(child) };
}

/** Kills a process this test started, by its id, and waits for it to be gone. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** The ids of this process's children whose command line contains `text`: the stdio servers the pool spawned. */
export async function childPids(text: string): Promise<number[]> {
  const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)]).catch(() => ({
    stdout: '',
  }));
  return stdout
    .split('\n')
    .filter((line) => line.includes(text))
    .map((line) => Number.parseInt(line.trim(), 10));
}

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
