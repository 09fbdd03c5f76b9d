import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { swarmflowTracer } from '../../activities/telemetry/in-span.ts';
import { workflowAttributes } from '../../activities/telemetry/span-attributes.ts';
import { activeTracing } from './tracing.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's server span and the context it is active in (while the process traces). */
    tracing?: { span: Span; context: Context };
  }
}

/** Probes and scrapes, every few seconds: spans of them would bury the requests in a trace search. */
const UNTRACED_ROUTES = new Set(['/healthz', '/readyz', '/livez', '/metrics']);

/** The attributes of a request's server span when it starts (HTTP semantic conventions). */
export function httpRequestAttributes(request: {
  method: string;
  url: string;
  route: string | undefined;
  scheme: string;
}): Attributes {
  return {
    'http.request.method': request.method,
    'url.path': request.url.split('?')[0] ?? request.url,
    'url.scheme': request.scheme,
    ...(request.route === undefined ? {} : { 'http.route': request.route }),
  };
}

/** `<method> <route>`, or the method alone for a request that matched no route (HTTP conventions). */
export function httpSpanName(method: string, route: string | undefined): string {
  return route === undefined ? method : `${method} ${route}`;
}

/**
 * A server span per request (`POST /v1/runs`), continuing the caller's trace when it sends a
 * `traceparent`, and active while the request is handled: the workflow a handler starts joins
 * this trace (the Temporal client interceptor puts the active context in the start's headers).
 * The span ends with the response's `http.response.status_code`, in error status on a 5xx, and
 * names the run or swarm the answer names (`swarmflow.run_id`). No hooks while tracing is off;
 * no spans of health probes and metric scrapes.
 */
export function traceHttpRequests(app: FastifyInstance): void {
  if (!activeTracing()) return;
  // Callback hooks, so the rest of the request runs inside `context.with` (AsyncLocalStorage).
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && UNTRACED_ROUTES.has(route)) {
      done();
      return;
    }
    const parent = propagation.extract(context.active(), request.headers);
    const span = swarmflowTracer.startSpan(
      httpSpanName(request.method, route),
      {
        kind: SpanKind.SERVER,
        attributes: httpRequestAttributes({
          method: request.method,
          url: request.url,
          route,
          scheme: request.protocol,
        }),
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    request.tracing = { span, context: active };
    context.with(active, done);
  });
  // The body is read outside that context (socket events): enter it again before the handler.
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.tracing) context.with(request.tracing.context, done);
    else done();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    // A start answers with the id it started ({ runId }): small, and only the starts (POST) are read.
    if (request.tracing && request.method === 'POST' && reply.statusCode < 300) {
      const id = answeredWorkflowId(payload);
      if (id) request.tracing.span.setAttributes(workflowAttributes(id));
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => endSpan(request, reply.statusCode));
  app.addHook('onRequestAbort', async (request) => endSpan(request, undefined));
}

/** Ends the request's span once: with the status sent, or in error status when the caller went away. */
function endSpan(request: FastifyRequest, status: number | undefined): void {
  const span = request.tracing?.span;
  if (!span) return;
  request.tracing = undefined;
  if (status === undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'request aborted' });
  } else {
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  span.end();
}

/** The run or swarm an answer names (`{ workflowId }`, `{ runId }`, `{ swarmId }`), as its workflow id. */
function answeredWorkflowId(payload: unknown): string | undefined {
  if (typeof payload !== 'string' || !payload.startsWith('{') || payload.length > 65_536) return undefined;
  try {
    const body = JSON.parse(payload) as Record<string, unknown>;
    if (typeof body.workflowId === 'string') return body.workflowId;
    if (typeof body.runId === 'string') return `run/${body.runId}`;
    if (typeof body.swarmId === 'string') return `swarm/${body.swarmId}`;
  } catch {
    // not JSON: nothing to name
  }
  return undefined;
}
