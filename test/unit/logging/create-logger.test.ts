import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../client/logging/create-logger.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { MemoryStream } from '../../support/memory-stream.ts';

describe('createLogger', () => {
  it('writes one JSON object a line, level as a name, ISO time, the bindings on every line', () => {
    const out = new MemoryStream();
    const logger = createLogger({ destination: out, env: {}, bindings: { service: 'worker' } });
    logger.info({ runId: 'r1' }, 'step started');
    logger.debug('not at info');
    const [line] = out.records();
    expect(out.records()).toHaveLength(1);
    expect(line).toMatchObject({ level: 'info', service: 'worker', runId: 'r1', msg: 'step started' });
    expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
  });

  it('takes the level from SWARMFLOW_LOG_LEVEL and refuses an unknown one naming the variable', () => {
    const out = new MemoryStream();
    const logger = createLogger({ destination: out, env: { SWARMFLOW_LOG_LEVEL: 'WARN' } });
    logger.info('hidden');
    logger.warn('shown');
    expect(out.records().map((record) => record.msg)).toEqual(['shown']);
    expect(() => createLogger({ destination: out, env: { SWARMFLOW_LOG_LEVEL: 'loud' } })).toThrow(
      ValidationError,
    );
    expect(() => createLogger({ destination: out, env: { SWARMFLOW_LOG_LEVEL: 'loud' } })).toThrow(
      /SWARMFLOW_LOG_LEVEL.*trace, debug, info/,
    );
    expect(() => createLogger({ destination: out, env: { SWARMFLOW_LOG_FORMAT: 'xml' } })).toThrow(
      /SWARMFLOW_LOG_FORMAT to json .* or pretty/,
    );
  });

  it('writes for people with SWARMFLOW_LOG_FORMAT=pretty (and on a terminal), in this process', () => {
    const out = new MemoryStream();
    createLogger({ destination: out, env: { SWARMFLOW_LOG_FORMAT: 'pretty' } }).info(
      { runId: 'r1' },
      'hello',
    );
    expect(out.text).toMatch(/INFO.*hello/);
    expect(out.text).toMatch(/runId: "r1"/);
    expect(() => JSON.parse(out.lines()[0] ?? '')).toThrow();

    const terminal = Object.assign(new MemoryStream(), { isTTY: true });
    createLogger({ destination: terminal, env: {} }).info('on a terminal');
    expect(terminal.text).toMatch(/on a terminal/);
    expect(terminal.text.startsWith('{')).toBe(false);

    const forcedJson = Object.assign(new MemoryStream(), { isTTY: true });
    createLogger({ destination: forcedJson, env: { SWARMFLOW_LOG_FORMAT: 'json' } }).info('json anyway');
    expect(forcedJson.records()[0]?.msg).toBe('json anyway');
  });

  it('redacts secrets in fields, errors, bindings, child loggers and the message, in JSON and pretty', () => {
    const out = new MemoryStream();
    const logger = createLogger({ destination: out, env: {}, bindings: { password: 'p' } });
    const error = Object.assign(new Error('refused key sk-abcdefghijklmnop'), { apiKey: 'k' });
    logger.child({ tenant: 'acme', token: 't0k3n' }).error(
      {
        err: error,
        req: { headers: { authorization: 'Bearer abcdefghijkl' } },
        deep: { a: { b: { secret: 's' } } },
      },
      'call with Bearer abcdefghijkl failed',
    );
    const text = out.text;
    for (const secret of ['sk-abcdefghijklmnop', 'abcdefghijkl', 't0k3n', '"k"', '"s"', '"p"'])
      expect(text).not.toContain(secret);
    const [line] = out.records();
    expect(line).toMatchObject({
      level: 'error',
      tenant: 'acme',
      token: '[redacted]',
      password: '[redacted]',
      msg: 'call with Bearer [redacted] failed',
      err: { type: 'Error', message: 'refused key [redacted]', apiKey: '[redacted]' },
      req: { headers: { authorization: '[redacted]' } },
      deep: { a: { b: { secret: '[redacted]' } } },
    });

    const pretty = new MemoryStream();
    createLogger({ destination: pretty, env: { SWARMFLOW_LOG_FORMAT: 'pretty' } }).warn(
      { apiKey: 'sk-abcdefghijklmnop' },
      'pretty',
    );
    expect(pretty.text).not.toContain('sk-abcdefghijklmnop');
    expect(pretty.text).toContain('[redacted]');
  });
});
