import { parseExpression } from 'feelin';
import type { Report } from './errors.ts';

/**
 * Why `expression` is not valid FEEL, or undefined when it parses. Parsing only: evaluating
 * here could run an expensive expression, and variables are not known before a run.
 */
export function feelSyntaxError(expression: string): string | undefined {
  if (!expression.trim()) return 'the expression is empty';
  let error: { from: number; to: number } | undefined;
  parseExpression(expression, {}, undefined).iterate({
    enter(node) {
      if (node.type.isError) error ??= { from: node.from, to: node.to };
    },
  });
  if (!error) return undefined;
  const why =
    error.from < error.to
      ? `unexpected "${expression.slice(error.from, error.to)}" at character ${error.from + 1}`
      : error.from >= expression.trimEnd().length
        ? 'it ends too early'
        : `something is missing at character ${error.from + 1}`;
  return `"${expression}" is not valid FEEL: ${why}`;
}

/** Reports `what` when `expression` is not valid FEEL; returns the expression. */
export function checkedFeel(expression: string, what: string, report: Report): string {
  const error = feelSyntaxError(expression);
  if (error) report(`${what}: ${error}`);
  return expression;
}
