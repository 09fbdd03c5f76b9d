import { inspect } from 'node:util';
import type { Logger, LogLevel, LogMetadata } from '@temporalio/common';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { installTemporalRuntime } from './temporal-runtime.ts';

/**
 * Keeps the Temporal runtime's log to warnings and errors, for processes whose output is for a
 * person (the CLI's one-shot runs). Must run before the first connection or worker is made.
 * A refusal that is not retried (bad input, no routine for the goal) is reported to the person
 * by the outcome itself, so its activity failure is one line here, not a stack trace.
 */
export function quietTemporalLogs(): void {
  installTemporalRuntime({ logger: routedLogger });
}

const quietLogger = new DefaultLogger('WARN', writeBriefly);
let routedTo: Logger = quietLogger;

/**
 * Sends the runtime's log lines (installed by quietTemporalLogs) to `logger` from now on, or back
 * to the brief stderr lines with no argument. For tests that read a worker's structured log
 * (client/logging's createTemporalLogger) in a process whose runtime is already installed.
 * Temporary: the process's one Runtime.install (workers/temporal-runtime.ts) takes the logger.
 */
export function routeTemporalLogs(logger?: Logger): void {
  routedTo = logger ?? quietLogger;
}

const routedLogger: Logger = {
  log: (level: LogLevel, message: string, meta?: LogMetadata) => routedTo.log(level, message, meta),
  trace: (message, meta) => routedTo.trace(message, meta),
  debug: (message, meta) => routedTo.debug(message, meta),
  info: (message, meta) => routedTo.info(message, meta),
  warn: (message, meta) => routedTo.warn(message, meta),
  error: (message, meta) => routedTo.error(message, meta),
};

function writeBriefly(entry: LogEntry): void {
  const error = entry.meta?.error;
  const refusal =
    entry.message === 'Activity failed' &&
    error instanceof Error &&
    'nonRetryable' in error &&
    error.nonRetryable;
  const date = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  if (refusal) {
    const type = 'type' in error ? ` ${String(error.type)}` : '';
    process.stderr.write(
      `${date} [${entry.level}] activity ${String(entry.meta?.activityType)} refused${type}: ${error.message}\n`,
    );
    return;
  }
  const meta = entry.meta === undefined ? '' : ` ${inspect(entry.meta)}`;
  process.stderr.write(`${date} [${entry.level}] ${entry.message}${meta}\n`);
}
