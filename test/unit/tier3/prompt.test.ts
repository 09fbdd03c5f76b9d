import { describe, expect, it } from 'vitest';
import { openingMessages, renderPrompt } from '../../../activities/strategies/prompt.ts';
import { ValidationError } from '../../../schema/validation.ts';

const inputs = {
  customer: { name: 'Ada', tier: 'gold' },
  items: [
    { sku: 'a', qty: 2 },
    { sku: 'b', qty: 1 },
  ],
  total: 40,
};

describe('prompt templates', () => {
  it('fill {{ }} placeholders with FEEL over the step inputs', () => {
    expect(renderPrompt('Dear {{ customer.name }}, you ordered {{count(items)}} items.', inputs)).toBe(
      'Dear Ada, you ordered 2 items.',
    );
    expect(renderPrompt('With tax: {{ total * 1.25 }}; first: {{ items[1].sku }}', inputs)).toBe(
      'With tax: 50; first: a',
    );
  });

  it('insert non-string values as JSON', () => {
    expect(renderPrompt('Items: {{ items }}', inputs)).toBe(
      'Items: [{"sku":"a","qty":2},{"sku":"b","qty":1}]',
    );
    expect(renderPrompt('{{ customer }} {{ total > 10 }}', inputs)).toBe('{"name":"Ada","tier":"gold"} true');
  });

  it('leave text without placeholders alone, across lines', () => {
    expect(renderPrompt('line one\n{{ customer.tier }}\n{ not a placeholder }', inputs)).toBe(
      'line one\ngold\n{ not a placeholder }',
    );
  });

  it('refuse a placeholder without a value rather than write "null"', () => {
    expect(() => renderPrompt('Hi {{ customer.nickname }}', inputs)).toThrow(
      new ValidationError('prompt', ['{{ customer.nickname }} has no value in the step inputs']),
    );
  });

  it('refuse a placeholder that is not FEEL, naming it', () => {
    expect(() => renderPrompt('{{ total + }}', inputs)).toThrow(
      /\{\{ total \+ \}\}: FEEL expression "total \+" failed/,
    );
  });

  it('open a conversation with an optional system prompt', () => {
    expect(openingMessages({ user: 'Hello {{ customer.name }}' }, inputs)).toEqual([
      { role: 'user', text: 'Hello Ada' },
    ]);
    expect(
      openingMessages({ system: 'You serve {{ customer.tier }} customers.', user: 'Hi' }, inputs),
    ).toEqual([
      { role: 'system', text: 'You serve gold customers.' },
      { role: 'user', text: 'Hi' },
    ]);
  });
});
