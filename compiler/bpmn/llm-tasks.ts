import type { StepWork } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import { compileLlmWork } from '../llm-work.ts';

/** The task type that makes a service task an LLM step: `zeebe:taskDefinition type="llm"`. */
export const LLM_TASK_TYPE = 'llm';

type HeaderValue = { value: unknown } | { error: string };

const text = (value: string): HeaderValue => ({ value });
const list = (value: string): HeaderValue => ({
  value: value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
});
const whole = (value: string): HeaderValue =>
  /^\d+$/.test(value.trim()) ? { value: Number(value) } : { error: `is "${value}", not a whole number` };
const flag = (value: string): HeaderValue =>
  ['true', 'false'].includes(value.trim())
    ? { value: value.trim() === 'true' }
    : { error: `is "${value}", not true or false` };
const json = (value: string): HeaderValue => {
  try {
    return { value: JSON.parse(value) };
  } catch (error) {
    return { error: `is not valid JSON (${(error as Error).message})` };
  }
};

/** The zeebe:taskHeaders of an LLM task, each read from its string value. */
const HEADERS: Readonly<Record<string, (value: string) => HeaderValue>> = {
  prompt: text,
  system: text,
  model: text,
  strategy: text,
  resultVariable: text,
  tools: list,
  requireApprovalFor: list,
  outputSchema: json,
  maxTurns: whole,
  maxToolCalls: whole,
  maxOutputRetries: whole,
  timeoutMs: whole,
  sensitive: flag,
  failOnRejection: flag,
};

/**
 * A job's work, or, for a job of type "llm", the LLM work its task headers describe (prompt,
 * system, model, tools as comma-separated globs, strategy, outputSchema as JSON, resultVariable,
 * maxTurns...). Unknown or malformed headers are reported, naming the header.
 */
export function llmOrJobWork(work: StepWork, report: Report): StepWork | undefined {
  if (work.kind !== 'service' || work.taskType !== LLM_TASK_TYPE) return work;
  const fields: Record<string, unknown> = work.retries === undefined ? {} : { retries: work.retries };
  let readable = true;
  for (const [key, value] of Object.entries(work.headers)) {
    const read = HEADERS[key];
    const header = read
      ? read(value)
      : { error: `is not an llm task header (${Object.keys(HEADERS).join(', ')})` };
    if ('error' in header) {
      report(`task header "${key}" ${header.error}`);
      readable = false;
    } else fields[key] = header.value;
  }
  return readable ? compileLlmWork(fields, report, (field) => `task header "${field}"`) : undefined;
}
