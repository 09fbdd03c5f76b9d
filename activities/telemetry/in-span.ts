import { type Span, type SpanOptions, SpanStatusCode, trace } from '@opentelemetry/api';
import { errorType, GenAi } from './span-attributes.ts';

/** The tracer of Swarmflow's own spans; a no-op until the process starts tracing (client/telemetry/tracing.ts). */
export const swarmflowTracer = trace.getTracer('swarmflow');

/**
 * Runs `work` in a new span, made the active one so spans started inside are its children; the
 * span ends when `work` settles, in error status with `error.type` when it throws.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  return swarmflowTracer.startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Puts `span` in error status for `error`, with its `error.type` and the exception as an event. */
export function markFailed(span: Span, error: unknown): void {
  failSpan(span, errorType(error), error instanceof Error ? error.message : String(error));
  if (error instanceof Error) span.recordException(error);
}

/** Puts `span` in error status with `error.type` `type` (a failure that threw nothing: a tool's error answer). */
export function failSpan(span: Span, type: string, message: string): void {
  span.setAttribute(GenAi.errorType, type);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
