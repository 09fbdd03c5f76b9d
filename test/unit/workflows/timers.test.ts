import { describe, expect, it } from 'vitest';
import {
  addDuration,
  durationMs,
  parseCycle,
  parseDateTime,
  parseDuration,
  parseTimer,
  timerPlan,
} from '../../../workflows/navigator/timers.ts';

const at = (iso: string) => Date.parse(iso);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = at('2025-03-10T12:00:00Z');

describe('parseDuration', () => {
  it('reads every field, weeks combined with days, and a decimal fraction of seconds', () => {
    expect(parseDuration('P1Y2M3W4DT5H6M7.25S')).toEqual({
      years: 1,
      months: 2,
      weeks: 3,
      days: 4,
      hours: 5,
      minutes: 6,
      seconds: 7.25,
    });
    expect(parseDuration('PT0,5S').seconds).toBe(0.5);
    expect(parseDuration(' pt5m ').minutes).toBe(5);
  });

  it.each([
    '',
    'P',
    'PT',
    'P1DT',
    'P1.5D',
    'PT1.5H',
    'PT.5S',
    '-PT5M',
    'P-1D',
    'PT5M3H',
    '5M',
    'P1H',
    'PT1D',
    'P1Y2M3W4DT5H6M7S8',
  ])('rejects %j, naming it', (value) => {
    expect(() => parseDuration(value)).toThrow(`"${value}" is not an ISO 8601 duration`);
  });
});

describe('durationMs', () => {
  it('counts fixed units exactly', () => {
    expect(durationMs('PT5M', NOW)).toBe(5 * MINUTE);
    expect(durationMs('P1DT2H', NOW)).toBe(DAY + 2 * HOUR);
    expect(durationMs('PT0.5S', NOW)).toBe(500);
    expect(durationMs('PT0.0004S', NOW)).toBe(0);
    expect(durationMs('P2W', NOW)).toBe(14 * DAY);
    expect(durationMs('PT36H', NOW)).toBe(36 * HOUR);
    expect(durationMs('PT0S', NOW)).toBe(0);
  });

  it('adds months and years on the calendar from the start, keeping the time of day', () => {
    expect(durationMs('P1M', at('2025-01-15T08:30:00Z'))).toBe(31 * DAY);
    expect(durationMs('P1M', at('2025-02-15T08:30:00Z'))).toBe(28 * DAY);
    expect(durationMs('P1Y', at('2024-01-01T00:00:00Z'))).toBe(366 * DAY);
    expect(addDuration(at('2025-01-31T10:00:00Z'), parseDuration('P1M'))).toBe(at('2025-02-28T10:00:00Z'));
    expect(addDuration(at('2024-01-31T10:00:00Z'), parseDuration('P1M'))).toBe(at('2024-02-29T10:00:00Z'));
    expect(addDuration(at('2024-02-29T00:00:00Z'), parseDuration('P1Y'))).toBe(at('2025-02-28T00:00:00Z'));
    expect(addDuration(at('2025-11-30T23:00:00Z'), parseDuration('P1Y3M1DT2H'))).toBe(
      at('2027-03-02T01:00:00Z'),
    );
  });

  it('refuses a result past the range of dates', () => {
    expect(() => durationMs('P999999999Y', NOW)).toThrow('goes past the range of dates');
  });
});

describe('parseDateTime', () => {
  it('reads Z, offsets, optional seconds and fractions, and ignores a region after an offset', () => {
    expect(parseDateTime('2025-01-01T09:00:00Z')).toBe(at('2025-01-01T09:00:00Z'));
    expect(parseDateTime('2025-01-01T09:00:00+01:00')).toBe(at('2025-01-01T08:00:00Z'));
    expect(parseDateTime('2025-01-01T09:00-05:30')).toBe(at('2025-01-01T14:30:00Z'));
    expect(parseDateTime('2025-01-01T09:00:00.1234+00:00')).toBe(at('2025-01-01T09:00:00.123Z'));
    expect(parseDateTime('2019-10-02T08:09:40+02:00[Europe/Berlin]')).toBe(at('2019-10-02T06:09:40Z'));
    expect(parseDateTime('2025-01-01T00:00:00+01:00:30')).toBe(at('2024-12-31T22:59:30Z'));
    expect(parseDateTime('2024-02-29t12:00:00z')).toBe(at('2024-02-29T12:00:00Z'));
    expect(parseDateTime('0050-06-01T00:00:00Z')).toBe(at('0050-06-01T00:00:00Z'));
  });

  it.each(['2025-01-01T09:00:00', '2025-01-01', '2025-01-01 09:00:00Z', 'tomorrow', '2025-1-01T09:00:00Z'])(
    'rejects %j, which has no offset or is not a date-time',
    (value) => {
      expect(() => parseDateTime(value)).toThrow(`"${value}" is not an ISO 8601 date-time with an offset`);
    },
  );

  it.each([
    '2025-13-01T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-01-01T24:00:00Z',
    '2025-01-01T10:60:00Z',
    '2025-01-01T10:00:60Z',
    '2025-01-01T10:00:00+19:00',
  ])('rejects %j, which has a field out of range', (value) => {
    expect(() => parseDateTime(value)).toThrow(`"${value}" is not a valid date-time`);
  });
});

describe('parseCycle', () => {
  it('reads bounded and unbounded repetitions, with or without a start', () => {
    expect(parseCycle('R3/PT10S')).toEqual({ repetitions: 3, interval: parseDuration('PT10S') });
    expect(parseCycle('R/PT1H')).toEqual({
      repetitions: Number.POSITIVE_INFINITY,
      interval: parseDuration('PT1H'),
    });
    expect(parseCycle('R5/2025-01-01T00:00:00Z/PT1M')).toEqual({
      repetitions: 5,
      startMs: at('2025-01-01T00:00:00Z'),
      interval: parseDuration('PT1M'),
    });
  });

  it('rejects cron expressions, zero repetitions, empty intervals and broken parts, naming the value', () => {
    expect(() => parseCycle('0 0 9 * * MON-FRI')).toThrow(
      '"0 0 9 * * MON-FRI" is not an ISO 8601 repeating interval such as R3/PT10S or R/P1D (cron expressions are not supported)',
    );
    expect(() => parseCycle('PT10S')).toThrow('is not an ISO 8601 repeating interval');
    expect(() => parseCycle('R0/PT10S')).toThrow('"R0/PT10S" repeats 0 times; give at least R1');
    expect(() => parseCycle('R/PT0S')).toThrow('"R/PT0S" repeats with an empty interval');
    expect(() => parseCycle('R3/PT10X')).toThrow(
      'in the repeating interval "R3/PT10X", "PT10X" is not an ISO 8601 duration',
    );
    expect(() => parseCycle('R3/2025-01-01/PT1M')).toThrow(
      'in the repeating interval "R3/2025-01-01/PT1M", "2025-01-01" is not an ISO 8601 date-time',
    );
    expect(() => parseCycle('R3/PT1M/2025-01-01T00:00:00Z')).toThrow(
      '"2025-01-01T00:00:00Z" is not an ISO 8601 duration',
    );
  });
});

describe('timerPlan', () => {
  it('fires a duration once, that long from now', () => {
    expect(timerPlan('duration', 'PT5M', NOW)).toEqual({
      firstDelayMs: 5 * MINUTE,
      intervalMs: 0,
      repetitions: 1,
    });
    expect(timerPlan('duration', 'P1M', NOW).firstDelayMs).toBe(31 * DAY);
  });

  it('fires a date once, at once when it has passed', () => {
    expect(timerPlan('date', '2025-03-10T13:30:00+01:00', NOW)).toEqual({
      firstDelayMs: 30 * MINUTE,
      intervalMs: 0,
      repetitions: 1,
    });
    expect(timerPlan('date', '2020-01-01T00:00:00Z', NOW).firstDelayMs).toBe(0);
  });

  it('fires a cycle without a start one interval from now, then every interval', () => {
    expect(timerPlan('cycle', 'R3/PT10S', NOW)).toEqual({
      firstDelayMs: 10 * SECOND,
      intervalMs: 10 * SECOND,
      repetitions: 3,
    });
    expect(timerPlan('cycle', 'R/P1D', NOW)).toEqual({
      firstDelayMs: DAY,
      intervalMs: DAY,
      repetitions: Number.POSITIVE_INFINITY,
    });
    // from 2025-04-10, the next month has 30 days
    expect(timerPlan('cycle', 'R2/P1M', NOW)).toEqual({
      firstDelayMs: 31 * DAY,
      intervalMs: 30 * DAY,
      repetitions: 2,
    });
  });

  it('fires a cycle with a start at the start, or at once when the start has passed (as Zeebe)', () => {
    expect(timerPlan('cycle', 'R5/2025-03-10T12:02:00Z/PT1M', NOW)).toEqual({
      firstDelayMs: 2 * MINUTE,
      intervalMs: MINUTE,
      repetitions: 5,
    });
    expect(timerPlan('cycle', 'R5/2025-01-01T00:00:00Z/PT1M', NOW)).toEqual({
      firstDelayMs: 0,
      intervalMs: MINUTE,
      repetitions: 5,
    });
  });

  it('names the value it cannot read', () => {
    expect(() => timerPlan('duration', '5 minutes', NOW)).toThrow('"5 minutes" is not an ISO 8601 duration');
    expect(() => timerPlan('date', 'PT5M', NOW)).toThrow('"PT5M" is not an ISO 8601 date-time');
    expect(() => timerPlan('cycle', 'PT5M', NOW)).toThrow('"PT5M" is not an ISO 8601 repeating interval');
  });
});

describe('parseTimer', () => {
  it('returns the parsed value tagged with its type', () => {
    expect(parseTimer('date', '2025-01-01T00:00:00Z')).toEqual({
      type: 'date',
      atMs: at('2025-01-01T00:00:00Z'),
    });
    expect(parseTimer('duration', 'PT1S')).toEqual({ type: 'duration', duration: parseDuration('PT1S') });
    expect(parseTimer('cycle', 'R1/PT1S')).toEqual({
      type: 'cycle',
      repetitions: 1,
      interval: parseDuration('PT1S'),
    });
  });
});
