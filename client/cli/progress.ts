import type { SwarmflowClient } from '../sdk.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Shows a run's progress on stderr while `waiting` is pending, when stderr is a terminal:
 * steps done and where the tokens are, asked of the workflow every half second.
 */
export async function showRunProgress<T>(
  client: SwarmflowClient,
  runId: string,
  waiting: Promise<T>,
): Promise<T> {
  if (!process.stderr.isTTY) return waiting;
  let frame = 0;
  let line = 'starting';
  const timer = setInterval(() => {
    frame = (frame + 1) % FRAMES.length;
    process.stderr.write(`\r\x1b[2K${FRAMES[frame]} ${line}`);
    client
      .getRunState(runId)
      .then((state) => {
        line = `${state.stepsExecuted} steps done · at ${state.activeElements.join(', ') || '-'}`;
      })
      .catch(() => {});
  }, 500);
  try {
    return await waiting;
  } finally {
    clearInterval(timer);
    process.stderr.write('\r\x1b[2K');
  }
}
