import type { Report } from '../errors.ts';
import { checkedFeel } from '../feel.ts';

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * A FEEL string literal. Not JSON.stringify: JSON's \b, \f and \u00XX escapes do not all
 * read back in FEEL, while any other character may stand in a FEEL string as it is.
 */
export function feelString(value: string): string {
  return `"${value.replace(/[\\"\n\r\t]/g, (char) => ESCAPES[char] ?? char)}"`;
}

/**
 * A Zeebe value as FEEL: "=" starts an expression, anything else is a static string.
 * A script expression without "=" is taken as such a static value too.
 */
export function zeebeValue(value: string, what: string, report: Report): string {
  const trimmed = value.trimStart();
  return trimmed.startsWith('=') ? checkedFeel(trimmed.slice(1).trim(), what, report) : feelString(value);
}

/** A Zeebe value that must be an expression, as a condition must: the "=" is required. */
export function zeebeExpression(value: string, what: string, report: Report): string {
  const trimmed = value.trim();
  if (!trimmed) {
    report(`${what} is empty`);
    return trimmed;
  }
  if (!trimmed.startsWith('=')) {
    report(`${what} "${trimmed}" must be a FEEL expression starting with "="`);
    return trimmed;
  }
  return checkedFeel(trimmed.slice(1).trim(), what, report);
}
