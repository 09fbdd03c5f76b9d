import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { activeTracing, startTracing } from '../../../client/telemetry/tracing.ts';

describe("a process's tracing", () => {
  it('is off without OTEL_* variables: no provider, and spans are no-ops', () => {
    expect(startTracing('swarmflow-worker', { env: {} })).toBeUndefined();
    expect(activeTracing()).toBeUndefined();
    expect(trace.getTracer('x').startSpan('nothing').isRecording()).toBe(false);
  });

  it('starts once from the environment, names the service and version, and stops for good', async () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/',
      OTEL_SERVICE_NAME: 'worker-eu',
    };
    const tracing = startTracing('swarmflow-worker', { env });
    expect(tracing).toBeDefined();
    expect(startTracing('swarmflow-api', { env })).toBe(tracing);
    expect(tracing?.resource.attributes).toMatchObject({
      'service.name': 'worker-eu',
      'service.version': '0.1.0',
    });
    expect(trace.getTracer('x').startSpan('live').isRecording()).toBe(true);
    await tracing?.shutdown();
    expect(activeTracing()).toBeUndefined();
    expect(trace.getTracer('x').startSpan('after').isRecording()).toBe(false);
  });
});
