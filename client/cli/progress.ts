import type { RunState } from '../../schema/run.ts';
import type { SwarmflowApi } from '../remote/swarmflow-api.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** How often the spinner turns, and how often what it shows is read again. */
export const progressIntervalMs = 500;

/** Reports status lines to the spinner (`show`) until `signal` aborts. */
export type FollowProgress = (show: (line: string) => void, signal: AbortSignal) => Promise<void>;

/**
 * Shows a spinner and a status line on stderr while `waiting` is pending, when stderr is a
 * terminal; the line is the latest one `follow` showed. `follow` is stopped when `waiting` settles;
 * should it fail, the spinner goes on with its last line.
 */
export async function showProgress<T>(waiting: Promise<T>, follow: FollowProgress): Promise<T> {
  if (!process.stderr.isTTY) return waiting;
  let frame = 0;
  let line = 'starting';
  const timer = setInterval(() => {
    frame = (frame + 1) % FRAMES.length;
    process.stderr.write(`\r\x1b[2K${FRAMES[frame]} ${line}`);
  }, progressIntervalMs);
  const stop = new AbortController();
  follow((shown) => {
    line = shown;
  }, stop.signal).catch(() => {});
  try {
    return await waiting;
  } finally {
    stop.abort();
    clearInterval(timer);
    process.stderr.write('\r\x1b[2K');
  }
}

/** A run's progress: steps done and where the tokens are, as `watchRun` reports its states. */
export function showRunProgress<T>(client: SwarmflowApi, runId: string, waiting: Promise<T>): Promise<T> {
  return showProgress(waiting, async (show, signal) => {
    for await (const state of client.watchRun(runId, { pollIntervalMs: progressIntervalMs, signal })) {
      show(runProgressLine(runId, state));
    }
  });
}

/** The status line of a run's state, with the command that moves a parked run on. */
export function runProgressLine(runId: string, state: RunState): string {
  const steps = `${state.stepsExecuted} steps done`;
  if (state.incident) {
    return `${steps} · incident at ${state.incident.elementId}: ${state.incident.message} · resolve: swarmflow runs resolve ${runId} --set '<json>'`;
  }
  if (state.pausedOn)
    return `${steps} · paused: ${state.pausedOn.limit} budget reached · swarmflow runs resume ${runId}`;
  return `${steps} · at ${state.activeElements.join(', ') || '-'}`;
}
