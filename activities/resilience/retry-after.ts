/** A fetch `Headers` (any implementation with `get`) or a plain header record. */
type HeaderSource = Pick<Headers, 'get'> | Record<string, unknown>;

const DELAY = /^\d+(\.\d+)?$/;

/**
 * The delay a response's headers ask for before the next try, in ms: `retry-after-ms`, or
 * `retry-after` as seconds or as an HTTP date; undefined when absent or unreadable.
 */
export function retryAfterMs(headers: HeaderSource | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && DELAY.test(ms)) return Number(ms);
  const value = header(headers, 'retry-after');
  if (value === undefined) return undefined;
  if (DELAY.test(value)) return Number(value) * 1000;
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function header(headers: HeaderSource, name: string): string | undefined {
  const value =
    typeof headers.get === 'function'
      ? (headers as Pick<Headers, 'get'>).get(name)
      : Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return typeof value === 'string' ? value.trim() : undefined;
}
