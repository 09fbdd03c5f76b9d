import type { VariableMapping } from '../../schema/graph.ts';
import type { JsonValue, Variables } from '../../schema/json.ts';
import { evaluateFeel, FeelError } from '../feel.ts';
import { RunIncident } from './incident.ts';
import { cloneJson } from './json.ts';

/** Local variables an element's input mappings create, each mapping seeing the ones before it. */
export function evaluateInputs(
  elementId: string,
  inputs: VariableMapping[],
  variables: Variables,
): Variables {
  const locals: Variables = {};
  for (const mapping of inputs) {
    const value = evaluateMapping(elementId, mapping, { ...variables, ...locals });
    assignPath(locals, mapping.target, value, variables);
  }
  return locals;
}

/** The variables an element's output mappings produce, each evaluated in `context`. */
export function evaluateOutputs(
  elementId: string,
  outputs: VariableMapping[],
  context: Variables,
): Variables {
  const published: Variables = {};
  for (const mapping of outputs) {
    assignPath(published, mapping.target, evaluateMapping(elementId, mapping, context), context);
  }
  return published;
}

function evaluateMapping(elementId: string, mapping: VariableMapping, context: Variables): JsonValue {
  try {
    return evaluateFeel(mapping.source, context);
  } catch (error) {
    if (error instanceof FeelError)
      throw new RunIncident(elementId, `mapping to "${mapping.target}": ${error.message}`);
    throw error;
  }
}

/** Sets `a.b.c` in `target`, starting from the existing context value of `a` so sibling keys survive. */
function assignPath(target: Variables, path: string, value: JsonValue, existing: Variables): void {
  const [head, ...rest] = path.split('.');
  if (head === undefined || rest.length === 0) {
    target[path] = value;
    return;
  }
  const current = target[head] ?? existing[head];
  const base: Variables = isContext(current) ? cloneJson(current) : {};
  let cursor: Variables = base;
  for (const key of rest.slice(0, -1)) {
    const next = cursor[key];
    cursor[key] = isContext(next) ? next : {};
    cursor = cursor[key] as Variables;
  }
  cursor[rest[rest.length - 1] as string] = value;
  target[head] = base;
}

function isContext(value: JsonValue | undefined): value is Variables {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
