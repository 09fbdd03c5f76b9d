import { EvalCase } from './evaluation.ts';
import { ValidationError } from './validation.ts';

/**
 * A dataset as JSON lines: one case a line, `{"input": {...}, "expected"?: ..., "tags"?: [...]}`
 * (and `sourceRunId` when a case came from a recorded run). Blank lines are skipped.
 *
 * Pure; `activities/store/datasets/` stores what this parses, and the eval CLI's `--dataset file.jsonl`
 * reads its file through it.
 *
 * @throws ValidationError listing every bad line by number and field
 *   (`line 3: input: expected record, received string`), or "no cases" for an empty text.
 */
export function parseDatasetJsonl(text: string, subject = 'dataset JSONL'): EvalCase[] {
  const cases: EvalCase[] = [];
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const number = index + 1;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push(`line ${number}: not JSON (${(error as Error).message})`);
      return;
    }
    const parsed = EvalCase.strict().safeParse(value);
    if (parsed.success) cases.push(parsed.data);
    else
      for (const issue of parsed.error.issues) {
        const field = issue.path.length > 0 ? issue.path.join('.') : '(the line)';
        problems.push(`line ${number}: ${field}: ${issue.message}`);
      }
  });
  if (problems.length > 0) throw new ValidationError(subject, problems);
  if (cases.length === 0) {
    throw new ValidationError(subject, [
      'no cases: write one JSON object a line, {"input": {...}, "expected": ...}',
    ]);
  }
  return cases;
}

/** The cases as JSON lines, one a line, each ending in a newline; fields left out when absent. */
export function formatDatasetJsonl(cases: readonly EvalCase[]): string {
  return cases.map((c) => `${JSON.stringify(caseObject(c))}\n`).join('');
}

function caseObject(c: EvalCase): EvalCase {
  return {
    input: c.input,
    ...(c.expected === undefined ? {} : { expected: c.expected }),
    ...(c.tags === undefined || c.tags.length === 0 ? {} : { tags: c.tags }),
    ...(c.sourceRunId === undefined ? {} : { sourceRunId: c.sourceRunId }),
  };
}
