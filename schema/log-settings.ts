import { z } from 'zod';
import { parseInput } from './validation.ts';

/** The environment variables that shape a long-running process's log. */
export const logVariables = { level: 'SWARMFLOW_LOG_LEVEL', format: 'SWARMFLOW_LOG_FORMAT' } as const;

export const LogLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], {
  error: `set ${logVariables.level} to trace, debug, info, warn, error, fatal or silent`,
});
export type LogLevel = z.infer<typeof LogLevel>;

export const LogFormat = z.enum(['json', 'pretty'], {
  error: `set ${logVariables.format} to json (one JSON object a line) or pretty (for people at a terminal)`,
});
export type LogFormat = z.infer<typeof LogFormat>;

/** How a process logs; `format` undefined means: pretty on a terminal, JSON lines otherwise. */
export const LogSettings = z.object({
  [logVariables.level]: LogLevel.default('info'),
  [logVariables.format]: LogFormat.optional(),
});

/**
 * The log level and format from `SWARMFLOW_LOG_LEVEL` (default info) and `SWARMFLOW_LOG_FORMAT`
 * (json or pretty; unset: pretty when stdout is a terminal).
 * @throws ValidationError naming the variable and the values it takes.
 */
export function logSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  level: LogLevel;
  format: LogFormat | undefined;
} {
  const parsed = parseInput(
    LogSettings,
    {
      [logVariables.level]: env[logVariables.level]?.trim().toLowerCase() || undefined,
      [logVariables.format]: env[logVariables.format]?.trim().toLowerCase() || undefined,
    },
    'log settings',
  );
  return { level: parsed[logVariables.level], format: parsed[logVariables.format] };
}
