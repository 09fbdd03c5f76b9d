import type { SwarmflowApi } from '../remote/swarmflow-api.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Shows a spinner and a status line on stderr while `waiting` is pending, when stderr is a
 * terminal; the line is `describe()`'s latest answer, asked every half second.
 */
export async function showProgress<T>(waiting: Promise<T>, describe: () => Promise<string>): Promise<T> {
  if (!process.stderr.isTTY) return waiting;
  let frame = 0;
  let line = 'starting';
  const timer = setInterval(() => {
    frame = (frame + 1) % FRAMES.length;
    process.stderr.write(`\r\x1b[2K${FRAMES[frame]} ${line}`);
    describe()
      .then((described) => {
        line = described;
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

/** A run's progress: steps done and where the tokens are. */
export function showRunProgress<T>(client: SwarmflowApi, runId: string, waiting: Promise<T>): Promise<T> {
  return showProgress(waiting, async () => {
    const state = await client.getRunState(runId);
    const steps = `${state.stepsExecuted} steps done`;
    if (state.incident) {
      return `${steps} · incident at ${state.incident.elementId}: ${state.incident.message} · resolve: swarmflow runs resolve ${runId} --set '<json>'`;
    }
    if (state.pausedOn)
      return `${steps} · paused: ${state.pausedOn.limit} budget reached · swarmflow runs resume ${runId}`;
    return `${steps} · at ${state.activeElements.join(', ') || '-'}`;
  });
}
