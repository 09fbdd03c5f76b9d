/**
 * Runs a command for as long as the process that started this one lives, so that a server an
 * embedded stack starts never outlives its owner, however the owner ends (exit, signal, crash,
 * SIGKILL):
 *
 *   node --import tsx client/server/watchdog-main.ts [--remove-after <dir>] <command> [args...]
 *
 * The owner gives this process a pipe as stdin and never writes to it. When the owner ends, the
 * kernel closes the pipe; when the owner's own parent adopts this process instead, its parent
 * pid changes. Either way the command gets SIGTERM, then SIGKILL after a grace period. SIGTERM
 * to this process stops the command the same way (how the owner stops it); SIGINT is left to
 * the owner. This process exits with the command's exit code once the command has exited,
 * after removing `--remove-after`'s folder (a throwaway stack's) when the owner is gone.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const stopGraceMs = 10_000;
const parentPollMs = 500;

const argv = process.argv.slice(2);
const removeAfter = argv[0] === '--remove-after' ? argv[1] : undefined;
const [command, ...args] = removeAfter === undefined ? argv : argv.slice(2);
if (command === undefined) {
  process.stderr.write('usage: watchdog-main.ts [--remove-after <dir>] <command> [args...]\n');
  process.exit(2);
}

const ownerPid = process.ppid;
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;
let ownerGone = false;

function ownerEnded(): void {
  ownerGone = true;
  stop();
}

function stop(): void {
  if (stopping) return;
  stopping = true;
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), stopGraceMs).unref();
}

child.once('error', (error) => {
  process.stderr.write(`cannot start ${command}: ${error.message}\n`);
  process.exit(127);
});
child.once('exit', (code, signal) => {
  if (ownerGone && removeAfter !== undefined) rmSync(removeAfter, { recursive: true, force: true });
  process.exit(code ?? (signal === 'SIGKILL' ? 137 : 143));
});
process.stdin.once('close', ownerEnded);
process.stdin.once('end', ownerEnded);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', () => {});
process.on('SIGHUP', stop);
setInterval(() => {
  if (process.ppid !== ownerPid) ownerEnded();
}, parentPollMs).unref();
