import { createHash } from 'node:crypto';
import { canonicalJson } from '../schema/canonical-json.ts';
import type { RoutineBody } from '../schema/routine.ts';

export { canonicalJson };

/** sha256 (hex) of the routine's source: the XML text, or the steps as canonical JSON. */
export function routineHash(body: RoutineBody): string {
  const source = body.kind === 'bpmn' ? body.xml : canonicalJson(body.steps);
  return createHash('sha256').update(source).digest('hex');
}
