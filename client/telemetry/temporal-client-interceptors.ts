import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { activeTracing } from './tracing.ts';

/**
 * The interceptors a Temporal client takes while the process traces: each workflow start, signal,
 * update and query gets a span, and its trace context goes to the workflow in a header, so the
 * workflow's spans join the caller's trace (an API request's, an activity's). None when tracing
 * is off, so no header is written. Call it after startTracing.
 */
export function tracingClientInterceptors(): ClientInterceptors | undefined {
  return activeTracing() ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}
