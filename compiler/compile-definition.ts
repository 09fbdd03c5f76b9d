import type { StoredEvaluation } from '../schema/evaluation.ts';
import type { CompiledRoutine } from '../schema/graph.ts';
import type { RoutineDefinition } from '../schema/routine.ts';
import { compileEvaluation } from './evaluation.ts';
import { compileRoutine } from './index.ts';
import { withRoutineDefaults } from './routine-defaults.ts';

/** A definition as registration checks it: its graph (with the routine's defaults) and its evaluation sections. */
export interface CompiledDefinition {
  compiled: CompiledRoutine;
  evaluation: StoredEvaluation | undefined;
}

/**
 * Everything registration checks of a definition, without storing it: the body compiles and the
 * evaluation sections fit it. Pure (no database).
 * @throws RoutineCompileError listing every problem, naming the element and the field.
 */
export async function compileDefinition(definition: RoutineDefinition): Promise<CompiledDefinition> {
  const compiled = withRoutineDefaults(await compileRoutine(definition.body), definition);
  return { compiled, evaluation: compileEvaluation(definition, compiled) };
}
