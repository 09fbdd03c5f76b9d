/** How long a teardown may take before the process exits anyway. */
const teardownLimitMs = 20_000;
const parentPollMs = 500;
const exitSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const signalNumbers: Record<(typeof exitSignals)[number], number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * Runs `teardown` once, then exits, when this process is told to stop (SIGINT, SIGTERM, SIGHUP)
 * or its parent dies (it is adopted by another process): a throwaway stack is stopped instead of
 * being left behind. The exit code is 128 + the signal's number (129 for a dead parent).
 * Returns the function that stops watching, for when the work ended normally.
 */
export function tearDownOnExit(teardown: () => Promise<void>): () => void {
  const parentPid = process.ppid;
  let started = false;
  const exitAfterTeardown = (code: number, why: string) => {
    if (started) return;
    started = true;
    process.stderr.write(`\n${why}: stopping the embedded stack\n`);
    const limit = setTimeout(() => process.exit(code), teardownLimitMs);
    teardown()
      .catch((error: unknown) => process.stderr.write(`teardown failed: ${(error as Error).message}\n`))
      .finally(() => {
        clearTimeout(limit);
        process.exit(code);
      });
  };
  const handlers = exitSignals.map((signal) => {
    const handler = () => exitAfterTeardown(128 + signalNumbers[signal], signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const parentWatch = setInterval(() => {
    if (process.ppid !== parentPid) exitAfterTeardown(129, `the parent process ${parentPid} ended`);
  }, parentPollMs);
  parentWatch.unref();
  return () => {
    clearInterval(parentWatch);
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
