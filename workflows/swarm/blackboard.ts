import type { JsonValue, Variables } from '../../schema/json.ts';
import type { UpdateSharedStateInput } from '../../schema/swarm-tools.ts';

type BlackboardOps = NonNullable<UpdateSharedStateInput['blackboard']>;

/**
 * The blackboard after `ops`, applied in the order set, delete, append, increment, merge; or the
 * problems that keep them from applying (then nothing changes). Pure.
 */
export function applyBlackboardOps(
  blackboard: Variables,
  ops: BlackboardOps,
): { blackboard: Variables } | { problems: string[] } {
  const next: Variables = { ...blackboard, ...ops.set };
  for (const key of ops.delete ?? []) delete next[key];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(ops.append ?? {})) {
    const current = next[key] ?? [];
    if (Array.isArray(current)) next[key] = [...current, value];
    else problems.push(`blackboard.append.${key}: "${key}" holds ${kindOf(current)}, not a list`);
  }
  for (const [key, by] of Object.entries(ops.increment ?? {})) {
    const current = next[key] ?? 0;
    if (typeof current === 'number') next[key] = current + by;
    else problems.push(`blackboard.increment.${key}: "${key}" holds ${kindOf(current)}, not a number`);
  }
  for (const [key, fields] of Object.entries(ops.merge ?? {})) {
    const current = next[key] ?? {};
    if (isObject(current)) next[key] = { ...current, ...fields };
    else problems.push(`blackboard.merge.${key}: "${key}" holds ${kindOf(current)}, not an object`);
  }
  return problems.length > 0 ? { problems } : { blackboard: next };
}

function isObject(value: JsonValue): value is Variables {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
