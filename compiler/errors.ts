/** One reason a routine does not compile, naming the element when there is one. */
export interface CompileProblem {
  elementId?: string;
  elementType?: string;
  message: string;
}

/** Records a problem of the element it was made for (see reporter). */
export type Report = (message: string) => void;

export function reporter(problems: CompileProblem[], element: { id?: string; type?: string }): Report {
  return (message) => problems.push({ elementId: element.id, elementType: element.type, message });
}

/** `<elementType> "<id>": <why>`, or as much of it as the problem knows. */
export function formatProblem(problem: CompileProblem): string {
  const subject = [
    problem.elementType,
    problem.elementId === undefined ? undefined : `"${problem.elementId}"`,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
  return subject ? `${subject}: ${problem.message}` : problem.message;
}

/** A routine rejected at registration; `message` lists every problem, one a line. */
export class RoutineCompileError extends Error {
  override readonly name = 'RoutineCompileError';
  readonly problems: readonly CompileProblem[];

  constructor(problems: readonly CompileProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `the routine does not compile (${count}):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
    );
    this.problems = problems;
  }
}
