import { createHash } from 'node:crypto';
import { canonicalJson } from '../schema/canonical-json.ts';
import type { StoredEvaluation } from '../schema/evaluation.ts';
import type { RoutineBody } from '../schema/routine.ts';

export { canonicalJson };

/** sha256 (hex) of the routine's source: the XML text, or the steps as canonical JSON. */
export function routineHash(body: RoutineBody): string {
  const source = body.kind === 'bpmn' ? body.xml : canonicalJson(body.steps);
  return createHash('sha256').update(source).digest('hex');
}

/**
 * The hash a version is known by: its source's, and with evaluation sections, theirs too, so
 * changing only how it is scored makes a new version while a routine without them keeps its hash.
 */
export function versionHash(body: RoutineBody, evaluation: StoredEvaluation | undefined): string {
  const source = routineHash(body);
  if (evaluation === undefined) return source;
  return createHash('sha256')
    .update(`${source}\n${canonicalJson(evaluation)}`)
    .digest('hex');
}
