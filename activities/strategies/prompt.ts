import type { Variables } from '../../schema/json.ts';
import type { ChatMessage } from '../../schema/models.ts';
import { ValidationError } from '../../schema/validation.ts';
import { evaluateFeel, FeelError } from '../../workflows/feel.ts';

/**
 * Prompt templates: text with `{{ expression }}` placeholders, each a FEEL expression over the
 * step's inputs (`{{ customer.name }}`, `{{ count(items) }}`, `{{ total * 1.2 }}`). A string value
 * is inserted as it is, any other value as JSON. A placeholder whose value is null (a missing
 * variable included) is a ValidationError naming it, never a silent "null". Pure: no I/O, workflow-safe.
 */
const PLACEHOLDER = /\{\{([\s\S]+?)\}\}/g;

export function renderPrompt(template: string, inputs: Variables): string {
  return template.replace(PLACEHOLDER, (_placeholder, expression: string) =>
    render(expression.trim(), inputs),
  );
}

/** The opening of a conversation: an optional system prompt and the rendered user prompt. */
export function openingMessages(prompt: { system?: string; user: string }, inputs: Variables): ChatMessage[] {
  const user: ChatMessage = { role: 'user', text: renderPrompt(prompt.user, inputs) };
  return prompt.system ? [{ role: 'system', text: renderPrompt(prompt.system, inputs) }, user] : [user];
}

function render(expression: string, inputs: Variables): string {
  let value: ReturnType<typeof evaluateFeel>;
  try {
    value = evaluateFeel(expression, inputs);
  } catch (error) {
    if (error instanceof FeelError)
      throw new ValidationError('prompt', [`{{ ${expression} }}: ${error.message}`]);
    throw error;
  }
  if (value === null)
    throw new ValidationError('prompt', [`{{ ${expression} }} has no value in the step inputs`]);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
