import { z } from 'zod';
import { parseInput } from './validation.ts';

/** Where a process sends its spans: `otlp` (OTLP over HTTP) and `console` (stderr) may be combined. */
export const TraceExporterName = z.enum(['otlp', 'console']);
export type TraceExporterName = z.infer<typeof TraceExporterName>;

const exporterNames = ['none', ...TraceExporterName.options] as const;

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((text) => ['true', 'false', ''].includes(text), 'give true or false')
  .transform((text) => text === 'true');

/** The standard OpenTelemetry variables that decide whether and where a process exports traces. */
export const TracingEnv = z.object({
  OTEL_SDK_DISABLED: flag.optional(),
  OTEL_TRACES_EXPORTER: z
    .string()
    .trim()
    .transform((text) =>
      text
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter((name) => name !== ''),
    )
    .pipe(
      z.array(
        z.enum(exporterNames, {
          error: (issue) => `unknown exporter "${String(issue.input)}": give ${exporterNames.join(', ')}`,
        }),
      ),
    )
    .optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'give the collector URL, e.g. http://localhost:4318' })
    .optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'give the traces URL, e.g. http://localhost:4318/v1/traces' })
    .optional(),
  OTEL_SERVICE_NAME: z.string().trim().min(1).optional(),
});

/** What a process does with its spans, from TracingEnv; `exporters` is empty when tracing is off. */
export interface TracingSettings {
  exporters: TraceExporterName[];
  serviceName: string;
}

/**
 * Reads the OpenTelemetry variables. Tracing is off unless asked for: `OTEL_TRACES_EXPORTER`
 * names exporters (`otlp`, `console`, `none`), or, unset, an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) turns OTLP on.
 * `OTEL_SDK_DISABLED=true` turns it off whatever else is set. `OTEL_SERVICE_NAME` overrides
 * `defaultServiceName`. Empty variables count as unset.
 * @throws ValidationError naming the variable and the values it takes.
 */
export function tracingSettings(env: NodeJS.ProcessEnv, defaultServiceName: string): TracingSettings {
  const present = Object.fromEntries(
    Object.keys(TracingEnv.shape)
      .map((name) => [name, env[name]] as const)
      .filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = parseInput(TracingEnv, present, 'OpenTelemetry environment');
  const serviceName = parsed.OTEL_SERVICE_NAME ?? defaultServiceName;
  if (parsed.OTEL_SDK_DISABLED) return { exporters: [], serviceName };
  const named = parsed.OTEL_TRACES_EXPORTER;
  if (named !== undefined) {
    const exporters = [...new Set(named.filter((name) => name !== 'none'))];
    return { exporters: named.includes('none') ? [] : exporters, serviceName };
  }
  const endpoint = parsed.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? parsed.OTEL_EXPORTER_OTLP_ENDPOINT;
  return { exporters: endpoint === undefined ? [] : ['otlp'], serviceName };
}
