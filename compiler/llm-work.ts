import { LlmWork } from '../schema/graph.ts';
import type { Report } from './errors.ts';
import { checkedFeel } from './feel.ts';

/** `{{ expression }}` in a prompt template, as renderPrompt reads it. */
const PLACEHOLDER = /\{\{([\s\S]+?)\}\}/g;

/**
 * The LLM work of a step or task from its fields; every problem is reported, naming the field
 * as `fieldName` writes it (a sequence step's `"maxTurns"`, a BPMN task's `header "maxTurns"`).
 * Prompt placeholders must be valid FEEL.
 */
export function compileLlmWork(
  fields: Record<string, unknown>,
  report: Report,
  fieldName: (field: string) => string,
): LlmWork | undefined {
  const result = LlmWork.safeParse({ ...fields, kind: 'llm' });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [field, ...rest] = issue.path.map(String);
      report(`${fieldName(field ?? '')}${rest.map((part) => `.${part}`).join('')}: ${issue.message}`);
    }
    return undefined;
  }
  const work = result.data;
  checkPlaceholders(work.prompt, fieldName('prompt'), report);
  if (work.system !== undefined) checkPlaceholders(work.system, fieldName('system'), report);
  return work;
}

function checkPlaceholders(template: string, what: string, report: Report): void {
  for (const [placeholder, expression = ''] of template.matchAll(PLACEHOLDER)) {
    checkedFeel(expression.trim(), `${what} placeholder ${placeholder}`, report);
  }
}
