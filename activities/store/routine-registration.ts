import { compileDefinition } from '../../compiler/compile-definition.ts';
import { versionHash } from '../../compiler/index.ts';
import type { RoutineDefinition } from '../../schema/routine.ts';
import type { RoutineRegistration, RoutineStore, VersionPlacement } from './routine-store.ts';

/**
 * Compiles a routine and stores it as its next version; the same content again returns the
 * existing version. A routine that does not compile, or whose evaluation sections are invalid, throws
 * a RoutineCompileError listing every problem.
 */
export async function compileAndRegisterRoutine(
  store: RoutineStore,
  tenantId: string,
  definition: RoutineDefinition,
  /** Default: the new version becomes active. */
  placement?: VersionPlacement,
): Promise<RoutineRegistration> {
  const { compiled, evaluation } = await compileDefinition(definition);
  const source =
    definition.body.kind === 'bpmn' ? definition.body.xml : JSON.stringify(definition.body.steps);
  const hash = versionHash(definition.body, evaluation);
  return store.register(tenantId, definition, compiled, hash, source, evaluation, placement);
}
