import type { CompiledRoutine } from '../schema/graph.ts';
import type { RoutineBody } from '../schema/routine.ts';
import { compileBpmn } from './bpmn/compile.ts';
import { compileSequence } from './sequence.ts';

export { type CompileProblem, formatProblem, RoutineCompileError } from './errors.ts';
export { compileEvaluation } from './evaluation.ts';
export { routineHash, versionHash } from './hash.ts';
export { decodeBpmnSource } from './read-source.ts';
export { withRoutineDefaults } from './routine-defaults.ts';

/**
 * Compiles a routine body to the graph the navigator walks. Every problem surfaces here,
 * at registration: a RoutineCompileError lists them all.
 */
export async function compileRoutine(body: RoutineBody): Promise<CompiledRoutine> {
  return body.kind === 'bpmn' ? compileBpmn(body.xml) : compileSequence(body.steps);
}
