import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { feelString, zeebeExpression, zeebeValue } from '../../../compiler/bpmn/expressions.ts';
import { feelSyntaxError } from '../../../compiler/feel.ts';

function collect() {
  const messages: string[] = [];
  return { messages, report: (message: string) => messages.push(message) };
}

describe('FEEL expressions', () => {
  it.each([
    'plain',
    'a "quoted" word',
    'back\\slash and \\u0041 and \\n',
    'lines\nand\ttabs\r',
    `control \u0001${'23'} \b \f`,
    'ünïcödé € 😀',
    '',
  ])('writes %j as a FEEL string literal that reads back', (value) => {
    expect(evaluate(feelString(value)).value).toBe(value);
  });

  it('takes "=" as the start of an expression and anything else as a static string', () => {
    const { messages, report } = collect();
    expect(zeebeValue('= order.total * 2 ', 'input', report)).toBe('order.total * 2');
    expect(zeebeValue('EUR', 'input', report)).toBe('"EUR"');
    expect(messages).toEqual([]);
  });

  it('requires "=" where only an expression makes sense', () => {
    const { messages, report } = collect();
    expect(zeebeExpression('\n  =ok\n', 'condition', report)).toBe('ok');
    zeebeExpression('ok', 'condition', report);
    zeebeExpression(' ', 'condition', report);
    zeebeExpression('=', 'condition', report);
    expect(messages).toEqual([
      'condition "ok" must be a FEEL expression starting with "="',
      'condition is empty',
      'condition: the expression is empty',
    ]);
  });

  it('explains FEEL syntax errors', () => {
    expect(feelSyntaxError('a > 1 and b = "x"')).toBeUndefined();
    expect(feelSyntaxError('if a then b else c')).toBeUndefined();
    expect(feelSyntaxError('a >')).toBe('"a >" is not valid FEEL: it ends too early');
    expect(feelSyntaxError(')')).toBe('")" is not valid FEEL: unexpected ")" at character 1');
    expect(feelSyntaxError('"open')).toBe('""open" is not valid FEEL: unexpected """ at character 1');
  });
});
