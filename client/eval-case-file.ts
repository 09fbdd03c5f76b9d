import { readFile } from 'node:fs/promises';
import { EvalCase } from '../schema/evaluation.ts';
import { ValidationError } from '../schema/validation.ts';

/**
 * The cases of a JSONL file: one EvalCase (`{"input": {...}, "expected": ..., "sourceRunId": ...}`)
 * per non-blank line. Every problem names its line.
 * @throws ValidationError listing the lines that are not JSON or not an EvalCase, or when no line is a case.
 */
export async function readEvalCasesFile(path: string): Promise<EvalCase[]> {
  const text = await readFile(path, 'utf8');
  const cases: EvalCase[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${path} line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push(`${where}: not valid JSON (${(error as Error).message})`);
      return;
    }
    const parsed = EvalCase.safeParse(value);
    if (parsed.success) cases.push(parsed.data);
    else {
      for (const issue of parsed.error.issues) {
        const field = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the line';
        problems.push(`${where}: ${field}: ${issue.message}`);
      }
    }
  });
  if (problems.length > 0) throw new ValidationError('eval cases', problems.slice(0, 20));
  if (cases.length === 0) {
    throw new ValidationError('eval cases', [
      `${path}: no cases; write one JSON object per line, e.g. {"input": {...}, "expected": {...}}`,
    ]);
  }
  return cases;
}
