import { DefaultLogger, Runtime } from '@temporalio/worker';

/**
 * Keeps the Temporal runtime's log to warnings and errors, for processes whose output is for a
 * person (the CLI's one-shot runs). Must run before the first connection or worker is made.
 */
export function quietTemporalLogs(): void {
  Runtime.install({ logger: new DefaultLogger('WARN') });
}
