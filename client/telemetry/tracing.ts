import { readFileSync } from 'node:fs';
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { type TraceExporterName, tracingSettings } from '../../schema/tracing-settings.ts';

/** The process's tracing: what the Temporal interceptors and the workflow span sink hand spans to. */
export interface Tracing {
  provider: NodeTracerProvider;
  /** Every span ends here: the workflow spans the worker's sink receives too. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Exports what is left and stops; the process's tracing is off afterwards. */
  shutdown(): Promise<void>;
}

export interface StartTracingOptions {
  /** Export here, synchronously, instead of what the environment says (tests: an InMemorySpanExporter). */
  exporter?: SpanExporter;
  /** The variables that turn tracing on and name the service (default process.env); the OTLP exporter and `OTEL_RESOURCE_ATTRIBUTES` are read from process.env. */
  env?: NodeJS.ProcessEnv;
}

let current: Tracing | undefined;

/** The process's tracing, when started and on. */
export function activeTracing(): Tracing | undefined {
  return current;
}

/**
 * Starts the process's tracing once, as the standard `OTEL_*` variables say (see
 * tracingSettings): off by default, OTLP over HTTP when an endpoint is set. It registers a
 * global tracer provider (with W3C trace-context propagation and async context), so the
 * Temporal interceptors, the HTTP server spans and the LLM and MCP spans all land in it.
 * `service` is the default `service.name` (`swarmflow-api`, `swarmflow-worker`). A second call
 * returns the tracing already started (one process serving the API and a worker has one).
 * @returns undefined when tracing is off.
 * @throws ValidationError naming a bad `OTEL_*` variable.
 */
export function startTracing(service: string, options: StartTracingOptions = {}): Tracing | undefined {
  if (current) return current;
  const env = options.env ?? process.env;
  const settings = tracingSettings(env, service);
  if (options.exporter === undefined && settings.exporters.length === 0) return undefined;
  const resource = new Resource({ [ATTR_SERVICE_VERSION]: swarmflowVersion() })
    .merge(envDetectorSync.detect())
    .merge(new Resource({ [ATTR_SERVICE_NAME]: settings.serviceName }));
  const spanProcessor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : combined(settings.exporters.map(processorFor));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  const tracing: Tracing = {
    provider,
    spanProcessor,
    resource: provider.resource as Resource,
    async shutdown() {
      if (current === tracing) current = undefined;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  current = tracing;
  return tracing;
}

function processorFor(name: TraceExporterName): SpanProcessor {
  // The OTLP exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS and _TIMEOUT itself.
  return name === 'otlp'
    ? new BatchSpanProcessor(new OTLPTraceExporter())
    : new SimpleSpanProcessor(new ConsoleSpanExporter());
}

/** One processor handing each span to all of `processors` (the workflow sink takes one). */
function combined(processors: SpanProcessor[]): SpanProcessor {
  if (processors.length === 1) return processors[0] as SpanProcessor;
  return {
    onStart: (span, context) => {
      for (const processor of processors) processor.onStart(span, context);
    },
    onEnd: (span) => {
      for (const processor of processors) processor.onEnd(span);
    },
    forceFlush: async () => {
      await Promise.all(processors.map((processor) => processor.forceFlush()));
    },
    shutdown: async () => {
      await Promise.all(processors.map((processor) => processor.shutdown()));
    },
  };
}

/** Swarmflow's version from its package.json, from the sources or the built package. */
function swarmflowVersion(): string {
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      const { name, version } = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
      if (name === 'swarmflow' && typeof version === 'string') return version;
    } catch {
      // not there: the other layout
    }
  }
  return 'unknown';
}
