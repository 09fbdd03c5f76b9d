import { describe, expect, it } from 'vitest';
import { tracingSettings } from '../../../schema/tracing-settings.ts';
import { ValidationError } from '../../../schema/validation.ts';

const settings = (env: Record<string, string>) => tracingSettings(env, 'swarmflow-api');

describe('tracing settings from the OTEL_* variables', () => {
  it('are off by default, so tests and the demo export nothing', () => {
    expect(settings({})).toEqual({ exporters: [], serviceName: 'swarmflow-api' });
  });

  it('turn OTLP on when an endpoint is set, the general one or the traces one', () => {
    expect(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).exporters).toEqual(['otlp']);
    expect(
      settings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).exporters,
    ).toEqual(['otlp']);
  });

  it('follow OTEL_TRACES_EXPORTER: none wins over an endpoint, names may be combined', () => {
    expect(
      settings({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).exporters,
    ).toEqual([]);
    expect(settings({ OTEL_TRACES_EXPORTER: 'console' }).exporters).toEqual(['console']);
    expect(settings({ OTEL_TRACES_EXPORTER: 'otlp, Console,otlp' }).exporters).toEqual(['otlp', 'console']);
    expect(settings({ OTEL_TRACES_EXPORTER: 'otlp' }).exporters).toEqual(['otlp']);
  });

  it('are off whatever else is set when OTEL_SDK_DISABLED=true', () => {
    expect(
      settings({
        OTEL_SDK_DISABLED: 'true',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      }).exporters,
    ).toEqual([]);
    expect(settings({ OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'otlp' }).exporters).toEqual([
      'otlp',
    ]);
  });

  it('take the service name from OTEL_SERVICE_NAME, and treat empty variables as unset', () => {
    expect(settings({ OTEL_SERVICE_NAME: 'api-eu' }).serviceName).toBe('api-eu');
    expect(settings({ OTEL_SERVICE_NAME: '', OTEL_TRACES_EXPORTER: '' })).toEqual({
      exporters: [],
      serviceName: 'swarmflow-api',
    });
  });

  it('refuse a bad value naming the variable and what it takes', () => {
    expect(() => settings({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(ValidationError);
    expect(() => settings({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(
      /OTEL_TRACES_EXPORTER.*unknown exporter "jaeger": give none, otlp, console/,
    );
    expect(() => settings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT: give the collector URL/,
    );
    expect(() => settings({ OTEL_SDK_DISABLED: 'yes' })).toThrow(/OTEL_SDK_DISABLED: give true or false/);
  });
});
