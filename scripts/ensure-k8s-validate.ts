import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The offline Kubernetes manifest validator (deploy/validate, Go): the path of its binary in
 * `.tools/bin`, built with the machine's Go when the sources changed. The binary's name carries a
 * hash of its sources, so an edit rebuilds it and worktrees sharing `.tools/bin` never clash.
 * Run directly, it prints that path: `node --import tsx scripts/ensure-k8s-validate.ts`.
 */

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const sourceDir = join(projectRoot, 'deploy', 'validate');
const toolsBinDir = join(projectRoot, '.tools', 'bin');
/** Where the go.dev/dl archive installs Go, often missing from PATH. */
const conventionalGoBinary = '/usr/local/go/bin/go';

/**
 * @throws Error when Go is not installed or the build fails (with the compiler's output).
 */
export async function ensureK8sValidate(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<string> {
  const binary = join(toolsBinDir, `k8s-validate-${await sourceHash()}`);
  if (await isExecutable(binary)) return binary;
  const go = await findGo();
  await mkdir(toolsBinDir, { recursive: true });
  log(
    `Building the manifest validator (deploy/validate) into ${binary}; the first build takes about a minute...`,
  );
  const partial = `${binary}.${process.pid}.partial`;
  try {
    await run(go, ['build', '-o', partial, '.'], { cwd: sourceDir, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    await rm(partial, { force: true });
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`go build in deploy/validate failed:\n${stderr || String(error)}`);
  }
  // A rename is atomic: a process building the same sources at the same time cannot see half a file.
  await rename(partial, binary);
  return binary;
}

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(sourceDir))
    .filter((name) => name.endsWith('.go') || name === 'go.mod' || name === 'go.sum')
    .sort();
  for (const name of files) {
    hash.update(name);
    hash.update(await readFile(join(sourceDir, name)));
  }
  return hash.digest('hex').slice(0, 12);
}

async function findGo(): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (await isExecutable(join(dir, 'go'))) return join(dir, 'go');
  }
  if (await isExecutable(conventionalGoBinary)) return conventionalGoBinary;
  throw new Error(
    'Go is needed to build the manifest validator (deploy/validate): install Go 1.26 or newer (apt-get install golang, or go.dev/dl).',
  );
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await ensureK8sValidate());
}
