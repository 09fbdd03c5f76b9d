import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { type LogFormat, type LogLevel, logSettingsFromEnv } from '../../schema/log-settings.ts';
import { REDACTED, redactForLog, redactPaths, redactText } from './redact.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Default: `SWARMFLOW_LOG_LEVEL`, else info. */
  level?: LogLevel;
  /** Default: `SWARMFLOW_LOG_FORMAT`, else pretty when the destination is a terminal, JSON lines otherwise. */
  format?: LogFormat;
  /** Where lines go; stdout by default. */
  destination?: NodeJS.WritableStream | DestinationStream;
  /** Fields on every line, e.g. `{ service: 'worker' }`. */
  bindings?: Record<string, unknown>;
  /** Where the defaults are read; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The structured logger of a long-running process (worker, API server): pino, one JSON object a
 * line (`level` as a name, `time` as ISO 8601), or pino-pretty's format for people. pino-pretty runs
 * as a stream in this process, not in a worker thread, so it works under tsx and in bundles.
 *
 * Every line is redacted before it is written: pino's `redact` paths for the well-known places
 * (Authorization headers...), and a formatter that walks the whole object, so secrets under
 * secret-looking keys at any depth (apiKey, password, token, secret, authorization, encryption
 * keys...), credentials in text (`Bearer ...`, `sk-...`) and encrypted Temporal payloads never reach
 * the output (see redactForLog).
 * @throws ValidationError when `SWARMFLOW_LOG_LEVEL` or `SWARMFLOW_LOG_FORMAT` holds an unknown value.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = logSettingsFromEnv(options.env ?? process.env);
  const destination = options.destination ?? process.stdout;
  const format = options.format ?? settings.format ?? (isTerminal(destination) ? 'pretty' : 'json');
  const stream =
    format === 'pretty'
      ? pretty({
          destination: destination as NodeJS.WritableStream,
          colorize: isTerminal(destination),
          sync: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname',
        })
      : destination;
  return pino(
    {
      level: options.level ?? settings.level,
      base: options.bindings ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: REDACTED },
      // Errors are already plain objects (redactForLog); pino's own err serializer would rename their type.
      serializers: { err: (error: unknown) => error },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redactForLog(bindings) as Record<string, unknown>,
        log: (object) => redactLogObject(object),
      },
      hooks: {
        logMethod(args, method) {
          // The message text (the first string argument) is scrubbed of visible credentials too.
          const index = typeof args[0] === 'string' ? 0 : typeof args[1] === 'string' ? 1 : -1;
          if (index >= 0) args[index] = redactText(args[index] as string);
          return method.apply(this, args as Parameters<typeof method>);
        },
      },
    },
    stream as DestinationStream,
  );
}

/**
 * Fastify's request and reply (`req`, `res`) go to their serializers as they are (method, url,
 * addresses; the status code): walking them would lose their getters. Any headers a serializer
 * adds are covered by the redact paths.
 */
const serializedAsIs = new Set(['req', 'res']);

function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  const asIs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) (serializedAsIs.has(key) ? asIs : rest)[key] = value;
  return { ...(redactForLog(rest) as Record<string, unknown>), ...asIs };
}

function isTerminal(destination: unknown): boolean {
  return (destination as { isTTY?: boolean }).isTTY === true;
}
