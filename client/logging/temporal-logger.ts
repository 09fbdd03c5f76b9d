import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from 'pino';
import { idsOfWorkflowId } from './swarmflow-ids.ts';

const levels = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
} as const satisfies Record<LogLevel, string>;

/** Temporal's meta keys that log lines carry under another name. */
const renamed: Record<string, string> = {
  // Temporal's run id of a workflow execution; `runId` on our lines is Swarmflow's run id.
  runId: 'temporalRunId',
  workflowRunId: 'temporalRunId',
  sdkComponent: 'component',
  error: 'err',
  failure: 'err',
};

/**
 * A Temporal `Logger` (the runtime's, so the worker's, activities' and, through the SDK's sink,
 * workflows' log lines) that writes into a pino logger. Temporal's meta keeps its names
 * (workflowId, workflowType, activityId, activityType, taskQueue, namespace, attempt) except
 * Temporal's run id, which becomes `temporalRunId`, `sdkComponent` (`component`) and `error` (`err`);
 * Swarmflow's ids are added where the workflow id tells them (`runId`, `swarmId`, `evalId`,
 * `tenant`; see idsOfWorkflowId) or the meta carries them (`tenant`, `swarmId`, from the log
 * attribute interceptors). Redaction is the pino logger's (createLogger).
 */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(readonly pino: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const method = levels[level] ?? 'info';
    if (!this.pino.isLevelEnabled(method)) return;
    this.pino[method](temporalFields(meta), message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/** The Temporal `Logger` to give `Runtime.install({ logger })`: writes into `pino`. */
export function createTemporalLogger(pino: Logger): PinoTemporalLogger {
  return new PinoTemporalLogger(pino);
}

/** A log line's fields from Temporal's meta (symbol keys, such as the SDK's timestamp, dropped). */
export function temporalFields(meta: LogMetadata | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (!meta) return fields;
  for (const [key, value] of Object.entries(meta)) {
    if (value === undefined) continue;
    fields[renamed[key] ?? key] = value;
  }
  if (typeof meta.workflowId === 'string') {
    for (const [key, value] of Object.entries(idsOfWorkflowId(meta.workflowId)))
      if (fields[key] === undefined) fields[key] = value;
  }
  return fields;
}
