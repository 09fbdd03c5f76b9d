import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDurationOption } from '../../../client/cli/duration-option.ts';
import { parseJsonObjectOption } from '../../../client/cli/json-option.ts';
import { ValidationError } from '../../../schema/validation.ts';

const cli = fileURLToPath(new URL('../../../bin/swarmflow.js', import.meta.url));

describe('--ttl', () => {
  it.each([
    ['0', 0],
    ['2500', 2_500],
    ['PT10S', 10_000],
    ['PT1.5S', 1_500],
    ['PT1H30M', 5_400_000],
    ['P1DT2H', 93_600_000],
    ['P2W', 1_209_600_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDurationOption(text, '--ttl')).toBe(ms);
  });

  it.each(['P', 'PT', 'P1M', 'P1Y', '-5', '10s', 'PT1H2'])('refuses %s, naming the option', (text) => {
    expect(() => parseDurationOption(text, '--ttl')).toThrow(/--ttl/);
  });
});

describe('JSON options', () => {
  it('reads a JSON object, and nothing as an empty one', () => {
    expect(parseJsonObjectOption('{"a":[1,{"b":null}]}', '--variables')).toEqual({ a: [1, { b: null }] });
    expect(parseJsonObjectOption(undefined, '--variables')).toEqual({});
  });

  it.each(['{bad', '[1, 2]', '"text"'])('refuses %s, naming the option', (text) => {
    const parse = () => parseJsonObjectOption(text, '--output');
    expect(parse).toThrow(ValidationError);
    expect(parse).toThrow(/--output/);
  });
});

describe('swarmflow messages publish', () => {
  it('exits non-zero with a message naming --variables when they are not JSON', async () => {
    const run = promisify(execFile)(
      process.execPath,
      [cli, 'messages', 'publish', 'paid', '--correlation-key', 'order-1', '--variables', '{oops'],
      { env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' } },
    );
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error: invalid --variables value:\n {2}- not valid JSON/),
    });
  }, 30_000);
});
