import { execFile, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isProcessAlive } from './process-liveness.ts';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';

const TEMPORAL_CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
const executableSuffix = process.platform === 'win32' ? '.exe' : '';
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const toolsDir = join(projectRoot, '.tools');
const toolsBinDir = join(toolsDir, 'bin');
const installLockFile = join(toolsDir, 'temporal-install.lock');
const localTemporalBinary = join(toolsBinDir, `temporal${executableSuffix}`);
/** Where the go.dev/dl archive installs Go; people often forget to add it to PATH. */
const conventionalGoBinary = '/usr/local/go/bin/go';
const installLockPollMs = 2_000;
const installLockTimeoutMs = 30 * 60_000;

const missingGoMessage = [
  `The Temporal CLI is not installed, and Go is not available to build it (go install ${TEMPORAL_CLI_MODULE}).`,
  'Do one of:',
  '  - install Go from https://go.dev/dl or your distribution (e.g. apt-get install golang): 1.25 or newer,',
  '    or 1.21 or newer when it may download the toolchain the Temporal CLI asks for (GOTOOLCHAIN=auto),',
  `  - or put a \`temporal\` binary (${TEMPORAL_CLI_VERSION}, https://github.com/temporalio/cli/releases) on PATH.`,
].join('\n');

export interface EnsureTemporalCliOptions {
  /** Receives progress lines; stderr by default so that stdout stays free for results. */
  log?: (line: string) => void;
}

/**
 * The path of a working `temporal` binary: the one on PATH, else the project's own in `.tools/bin`,
 * else a freshly `go install`ed one there.
 */
export async function ensureTemporalCli(options: EnsureTemporalCliOptions = {}): Promise<string> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const onPath = await findOnPath(`temporal${executableSuffix}`);
  if (onPath && (await answersVersion(onPath))) return onPath;
  if (await answersVersion(localTemporalBinary)) return localTemporalBinary;
  await installTemporalCli(log);
  return localTemporalBinary;
}

async function installTemporalCli(log: (line: string) => void): Promise<void> {
  const go =
    (await findOnPath(`go${executableSuffix}`)) ?? (await executableOrUndefined(conventionalGoBinary));
  if (!go) throw new Error(missingGoMessage);
  await withInstallLock(log, async () => {
    if (await answersVersion(localTemporalBinary)) return;
    log(
      `Installing Temporal CLI ${TEMPORAL_CLI_VERSION} into ${toolsBinDir} (the first build takes a few minutes)...`,
    );
    await goInstall(go);
    if (!(await answersVersion(localTemporalBinary))) {
      throw new Error(`go install finished but ${localTemporalBinary} does not answer --version`);
    }
  });
}

function goInstall(go: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['install', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: toolsBinDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`go install ${TEMPORAL_CLI_MODULE} failed (exit ${code}):\n${Buffer.concat(stderr)}`),
        );
    });
  });
}

/** Runs `install` while holding `.tools/temporal-install.lock`, so parallel processes build the CLI once. */
async function withInstallLock(log: (line: string) => void, install: () => Promise<void>): Promise<void> {
  await mkdir(toolsBinDir, { recursive: true });
  const deadline = Date.now() + installLockTimeoutMs;
  let announcedWait = false;
  while (!(await tryCreateLockFile())) {
    const holder = await readLockHolder();
    if (holder === undefined || !isProcessAlive(holder)) {
      await rm(installLockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for pid ${holder} to install the Temporal CLI`);
    if (!announcedWait)
      log(`Waiting for another process (pid ${holder}) that is installing the Temporal CLI...`);
    announcedWait = true;
    await sleep(installLockPollMs);
  }
  try {
    await install();
  } finally {
    await rm(installLockFile, { force: true });
  }
}

async function tryCreateLockFile(): Promise<boolean> {
  try {
    const file = await open(installLockFile, 'wx');
    await file.writeFile(String(process.pid));
    await file.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function readLockHolder(): Promise<number | undefined> {
  const content = await readFile(installLockFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(content, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function findOnPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = await executableOrUndefined(join(dir, command));
    if (candidate) return candidate;
  }
  return undefined;
}

async function executableOrUndefined(path: string): Promise<string | undefined> {
  try {
    await access(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

function answersVersion(temporal: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(temporal, ['--version'], { timeout: 10_000 }, (error, stdout) => {
      resolve(!error && stdout.startsWith('temporal version'));
    });
  });
}
