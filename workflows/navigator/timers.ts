/**
 * ISO 8601 timer values as Zeebe reads them: durations (`P1DT2H`, `PT0.5S`, `P2W`), date-times
 * with an offset (`2025-01-01T09:00:00+01:00`) and repeating intervals (`R3/PT10S`,
 * `R/PT1H`, `R5/2025-01-01T00:00:00Z/PT1M`). Pure: it runs in the workflow sandbox, so the
 * current time is always an argument. Calendar arithmetic is in UTC.
 */

export type TimerType = 'duration' | 'date' | 'cycle';

/** The fields of an ISO 8601 duration; only seconds may have a fraction (as in java.time). */
export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export interface RepeatingInterval {
  /** how many times it fires in all; Infinity for `R/…` */
  repetitions: number;
  /** the first firing, when the interval names one */
  startMs?: number;
  interval: IsoDuration;
}

export type ParsedTimer =
  | { type: 'duration'; duration: IsoDuration }
  | { type: 'date'; atMs: number }
  | ({ type: 'cycle' } & RepeatingInterval);

export interface TimerPlan {
  /** ms from now until the first firing; 0 when it is due already */
  firstDelayMs: number;
  /** ms between one firing and the next; 0 for a timer that fires once */
  intervalMs: number;
  /** how many times it fires in all: 1 for a duration or a date, Infinity for an unbounded cycle */
  repetitions: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;
const DATE_TIME =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})T(?<hour>\d{2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:\.(?<fraction>\d+))?)?(?:Z|(?<sign>[+-])(?<offsetHours>\d{2}):(?<offsetMinutes>\d{2})(?::(?<offsetSeconds>\d{2}))?)(?:\[[^\]]+\])?$/i;
const CYCLE = /^R(\d*)\/(.+)$/;

/** When a timer of `type` given as `value` first fires, counted from `nowMs`, and how it repeats. */
export function timerPlan(type: TimerType, value: string, nowMs: number): TimerPlan {
  const timer = parseTimer(type, value);
  switch (timer.type) {
    case 'duration':
      return { firstDelayMs: addDuration(nowMs, timer.duration) - nowMs, intervalMs: 0, repetitions: 1 };
    case 'date':
      return { firstDelayMs: Math.max(0, timer.atMs - nowMs), intervalMs: 0, repetitions: 1 };
    case 'cycle': {
      // As Zeebe: a start in the past fires at once; without a start, the first firing is one interval away.
      const firstMs =
        timer.startMs === undefined ? addDuration(nowMs, timer.interval) : Math.max(timer.startMs, nowMs);
      return {
        firstDelayMs: firstMs - nowMs,
        intervalMs: addDuration(firstMs, timer.interval) - firstMs,
        repetitions: timer.repetitions,
      };
    }
  }
}

/** Reads a timer value; throws an Error naming the value when it is not one. */
export function parseTimer(type: TimerType, value: string): ParsedTimer {
  switch (type) {
    case 'duration':
      return { type, duration: parseDuration(value) };
    case 'date':
      return { type, atMs: parseDateTime(value) };
    case 'cycle':
      return { type, ...parseCycle(value) };
  }
}

export function parseDuration(value: string): IsoDuration {
  const match = DURATION.exec(value.trim());
  if (!match) throw new Error(`"${value}" is not an ISO 8601 duration such as PT5M, P1DT2H or P2W`);
  const [, years, months, weeks, days, hours, minutes, seconds] = match;
  return {
    years: Number(years ?? 0),
    months: Number(months ?? 0),
    weeks: Number(weeks ?? 0),
    days: Number(days ?? 0),
    hours: Number(hours ?? 0),
    minutes: Number(minutes ?? 0),
    seconds: Number((seconds ?? '0').replace(',', '.')),
  };
}

/** A duration's length in ms when it starts at `fromMs` (months and years vary in length). */
export function durationMs(value: string, fromMs: number): number {
  return addDuration(fromMs, parseDuration(value)) - fromMs;
}

/**
 * `fromMs` plus `duration`, as java.time adds a period: years and months first, keeping the
 * day of the month unless the month is shorter (Jan 31 + P1M = Feb 28), then days, then time.
 */
export function addDuration(fromMs: number, duration: IsoDuration): number {
  const from = new Date(fromMs);
  const monthIndex = from.getUTCMonth() + duration.years * 12 + duration.months;
  const year = from.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const day = Math.min(from.getUTCDate(), daysInMonth(year, month));
  const timeOfDay = fromMs - civilMs(from.getUTCFullYear(), from.getUTCMonth() + 1, from.getUTCDate());
  const result =
    civilMs(year, month, day) +
    timeOfDay +
    (duration.weeks * 7 + duration.days) * DAY +
    duration.hours * HOUR +
    duration.minutes * MINUTE +
    Math.round(duration.seconds * SECOND);
  if (!Number.isFinite(result) || Math.abs(result) > 8.64e15) {
    throw new Error(`adding the duration to ${fromMs} ms goes past the range of dates`);
  }
  return result;
}

/** Epoch ms of an ISO 8601 date-time with an offset or Z; a trailing `[Region/City]` is ignored. */
export function parseDateTime(value: string): number {
  const fields = DATE_TIME.exec(value.trim())?.groups;
  if (!fields) {
    throw new Error(
      `"${value}" is not an ISO 8601 date-time with an offset, such as 2025-01-01T09:00:00Z or 2025-01-01T09:00:00+01:00`,
    );
  }
  const field = (name: string) => Number(fields[name] ?? 0);
  const [year, month, day, hour, minute, second] = [
    field('year'),
    field('month'),
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  ];
  const offset =
    field('offsetHours') * HOUR + field('offsetMinutes') * MINUTE + field('offsetSeconds') * SECOND;
  const outOfRange =
    month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59;
  if (outOfRange || second > 59 || offset > 18 * HOUR) {
    throw new Error(`"${value}" is not a valid date-time: a field is out of range`);
  }
  const millis = Number((fields.fraction ?? '').padEnd(3, '0').slice(0, 3));
  const local = civilMs(year, month, day) + hour * HOUR + minute * MINUTE + second * SECOND + millis;
  return fields.sign === '-' ? local + offset : local - offset;
}

/** `R<n>/<duration>`, `R/<duration>` (forever) or `R<n>/<start date-time>/<duration>`. */
export function parseCycle(value: string): RepeatingInterval {
  const match = CYCLE.exec(value.trim());
  if (!match) {
    throw new Error(
      `"${value}" is not an ISO 8601 repeating interval such as R3/PT10S or R/P1D (cron expressions are not supported)`,
    );
  }
  const [, count = '', rest = ''] = match;
  const repetitions = count === '' ? Number.POSITIVE_INFINITY : Number(count);
  if (repetitions < 1) throw new Error(`"${value}" repeats ${count} times; give at least R1`);
  const slash = rest.lastIndexOf('/');
  const interval = partOfCycle(value, () => parseDuration(rest.slice(slash + 1)));
  const startMs = slash === -1 ? undefined : partOfCycle(value, () => parseDateTime(rest.slice(0, slash)));
  if (addDuration(0, interval) === 0) throw new Error(`"${value}" repeats with an empty interval`);
  return startMs === undefined ? { repetitions, interval } : { repetitions, startMs, interval };
}

function partOfCycle<T>(value: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(`in the repeating interval "${value}", ${(error as Error).message}`);
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(civilMs(year, month + 1, 1) - DAY).getUTCDate();
}

/** Epoch ms of midnight UTC on a calendar day; unlike Date.UTC, years 0-99 stay themselves. */
function civilMs(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}
