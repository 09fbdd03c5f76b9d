import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { z } from 'zod';
import type { SwarmflowConfig } from '../../schema/config.ts';
import { moduleFile } from '../../schema/module-file.ts';
import { searchAttributeFlags } from '../../schema/search-attributes.ts';
import { isProcessAlive } from './process-liveness.ts';
import { ensureTemporalCli } from './temporal-cli.ts';

/** The ports `swarmflow server start` uses when none are given (Temporal's own defaults). */
export const DEFAULT_DEV_SERVER_PORT = 7233;
export const DEFAULT_DEV_SERVER_UI_PORT = 8233;

export type DevServerLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'never';

export interface DevServerOptions {
  /** Folder for the server's SQLite database (`temporal.db`), log (`temporal.log`) and state (`temporal.json`). */
  home: string;
  /** Frontend gRPC port; a free one when omitted. */
  port?: number;
  /** Web UI port when `ui` is on; a free one when omitted. */
  uiPort?: number;
  ui?: boolean;
  /** Run in its own process group and outlive the calling process. */
  detached?: boolean;
  /** `home` is a throwaway folder: removed when the calling process dies without stopping the server. */
  throwawayHome?: boolean;
  logLevel?: DevServerLogLevel;
}

export interface DevServerHandle {
  address: string;
  uiUrl?: string;
  pid: number;
  stop(): Promise<void>;
}

export interface DevServerStatus {
  running: boolean;
  pid?: number;
  address?: string;
  uiUrl?: string;
}

export interface DevServerStopResult {
  /** False when no server was running for that home (no state file, or a stale one). */
  stopped: boolean;
  pid?: number;
}

const DevServerState = z.object({
  pid: z.number().int().positive(),
  address: z.string(),
  uiUrl: z.string().optional(),
});
type DevServerState = z.infer<typeof DevServerState>;

const watchdogMain = moduleFile(import.meta.url, './watchdog-main');
/** The watchdog runs here, so that `--import tsx` resolves from this package whatever the caller's folder. */
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

const host = '127.0.0.1';
const readyTimeoutMs = 60_000;
const readyPollMs = 200;
const stopGraceMs = 10_000;
const killWaitMs = 5_000;
const logTailLines = 40;

const stateFile = (home: string) => join(home, 'temporal.json');
const logFile = (home: string) => join(home, 'temporal.log');

/** Starts `temporal server start-dev` for `home` and resolves once its frontend answers. */
export async function startDevServer(options: DevServerOptions): Promise<DevServerHandle> {
  const { home } = options;
  const existing = await devServerStatus(home);
  if (existing.running) {
    throw new Error(
      `A Temporal dev server for ${home} is already running (pid ${existing.pid}, ${existing.address})`,
    );
  }
  await mkdir(home, { recursive: true });
  const temporal = await ensureTemporalCli();
  const port = await freePort(options.port);
  const uiPort = options.ui ? await freePort(options.uiPort) : undefined;
  const address = `${host}:${port}`;
  const uiUrl = uiPort === undefined ? undefined : `http://${host}:${uiPort}`;

  const { child, pid } = await spawnServer(temporal, devServerArgs(options, port, uiPort), options);
  try {
    await waitUntilReady(address, child, home);
  } catch (error) {
    await terminate(pid);
    throw error;
  }
  const state: DevServerState = { pid, address, uiUrl };
  await writeFile(stateFile(home), `${JSON.stringify(state, null, 2)}\n`);
  return {
    ...state,
    stop: async () => {
      await terminate(pid);
      await rm(stateFile(home), { force: true });
    },
  };
}

/**
 * `config` pointed at a dev server this process started: its address, over plain TCP whatever
 * TLS or API key the environment sets for the deployment's own Temporal (a dev server has none).
 */
export function onDevServer(
  config: SwarmflowConfig,
  server: Pick<DevServerHandle, 'address'>,
): SwarmflowConfig {
  return { ...config, temporalAddress: server.address, temporalSecurity: {} };
}

/** Stops the dev server recorded in `home`'s state file and removes the file. */
export async function stopDevServer(home: string): Promise<DevServerStopResult> {
  const status = await devServerStatus(home);
  if (status.running && status.pid !== undefined) await terminate(status.pid);
  await rm(stateFile(home), { force: true });
  return { stopped: status.running, pid: status.pid };
}

/** Reads `home`'s state file; a file whose process is gone counts as not running. */
export async function devServerStatus(home: string): Promise<DevServerStatus> {
  const state = await readState(home);
  if (!state || !isProcessAlive(state.pid)) return { running: false };
  return { running: true, ...state };
}

function devServerArgs(options: DevServerOptions, port: number, uiPort: number | undefined): string[] {
  return [
    'server',
    'start-dev',
    ...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]),
    '--db-filename',
    join(options.home, 'temporal.db'),
    '--ip',
    host,
    '--port',
    String(port),
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    ...searchAttributeFlags.flatMap((flag) => ['--search-attribute', flag]),
    '--log-level',
    options.logLevel ?? 'warn',
  ];
}

/**
 * Starts the server: detached, on its own; otherwise under a watchdog that stops it when this
 * process ends, however it ends (the pid is then the watchdog's, which exits with the server).
 */
async function spawnServer(
  temporal: string,
  args: string[],
  { home, detached = false, throwawayHome = false }: DevServerOptions,
): Promise<{ child: ChildProcess; pid: number }> {
  const log = openSync(logFile(home), 'w');
  const removeAfter = throwawayHome ? ['--remove-after', home] : [];
  const child = detached
    ? spawn(temporal, args, { detached, stdio: ['ignore', log, log] })
    : spawn(process.execPath, ['--import', 'tsx', watchdogMain, ...removeAfter, temporal, ...args], {
        cwd: packageRoot,
        stdio: ['pipe', log, log],
      });
  closeSync(log);
  // The watchdog's stdin is the pipe whose closing tells it this process ended; it must not keep this one alive.
  (child.stdin as Socket | null)?.unref();
  if (child.pid === undefined) {
    const [error] = await once(child, 'error');
    throw new Error(`Could not start ${temporal}: ${(error as Error).message}`);
  }
  if (detached) child.unref();
  return { child, pid: child.pid };
}

async function waitUntilReady(address: string, child: ChildProcess, home: string): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw await startFailure(`exited (${child.exitCode ?? child.signalCode}) before answering`, home);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.close();
      return;
    } catch (error) {
      lastError = error;
      await sleep(readyPollMs);
    }
  }
  throw await startFailure(
    `did not answer on ${address} within ${readyTimeoutMs / 1000} s (${lastError})`,
    home,
  );
}

async function startFailure(reason: string, home: string): Promise<Error> {
  const log = await readFile(logFile(home), 'utf8').catch(() => '');
  const tail = log.trimEnd().split('\n').slice(-logTailLines).join('\n');
  return new Error(`Temporal dev server ${reason}. Last lines of ${logFile(home)}:\n${tail}`);
}

/** SIGTERM, then SIGKILL when the server has not shut down within the grace period. */
async function terminate(pid: number): Promise<void> {
  signal(pid, 'SIGTERM');
  if (await exitsWithin(pid, stopGraceMs)) return;
  signal(pid, 'SIGKILL');
  if (!(await exitsWithin(pid, killWaitMs))) throw new Error(`Temporal dev server (pid ${pid}) did not exit`);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function exitsWithin(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

async function readState(home: string): Promise<DevServerState | undefined> {
  const content = await readFile(stateFile(home), 'utf8').catch(() => undefined);
  if (content === undefined) return undefined;
  try {
    return DevServerState.parse(JSON.parse(content));
  } catch {
    return undefined;
  }
}

/** A port nothing listens on: the given one after checking it, else one the system picks. */
function freePort(wanted = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${wanted} on ${host} is in use (another Temporal server?); choose another with --port`,
            )
          : error,
      ),
    );
    server.listen(wanted, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
