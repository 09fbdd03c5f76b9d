import { canonicalJson } from '../schema/canonical-json.ts';
import type { FlowElement, ProcessGraph } from '../schema/graph.ts';
import type { JsonValue } from '../schema/json.ts';
import type { RoutineVersion } from '../schema/routine.ts';
import type { FieldChange, ItemChange, RoutineDiff } from '../schema/routine-diff.ts';
import { unifiedDiff } from './unified-diff.ts';

/** The version fields compared as metadata, in the order a reader sees them. */
const METADATA = [
  'kind',
  'name',
  'description',
  'inputSchema',
  'outputSchema',
  'limits',
  'evaluation',
  'stepEvaluations',
] as const;

/** An element's flow ids: the flows' own changes show them. */
const WIRING = new Set(['incoming', 'outgoing']);

type Step = { id: string } & Record<string, JsonValue>;

/**
 * What changed from version `a` to version `b` of one routine: its metadata; a sequence's steps by
 * id (or, otherwise, the compiled graph's elements and flows by id, so a BPMN layout change shows no
 * element change); and a unified diff of the sources. Pure.
 */
export function diffRoutines(a: RoutineVersion, b: RoutineVersion): RoutineDiff {
  const metadata = METADATA.flatMap((field) => fieldChange(field, a[field], b[field]));
  const sequence = a.kind === 'sequence' && b.kind === 'sequence';
  const structure = sequence ? diffSteps(stepsOf(a), stepsOf(b)) : diffGraphs(a, b);
  return {
    routineId: b.id,
    from: { version: a.version, kind: a.kind, hash: a.hash },
    to: { version: b.version, kind: b.kind, hash: b.hash },
    identical: a.hash === b.hash && metadata.length === 0,
    metadata,
    ...structure,
    sourceDiff: unifiedDiff(readable(a), readable(b), {
      from: `${a.id}@${a.version}`,
      to: `${b.id}@${b.version}`,
    }),
  };
}

function diffSteps(a: Step[], b: Step[]): Pick<RoutineDiff, 'steps' | 'stepOrderChanged'> {
  const before = new Map(a.map((step) => [step.id, step]));
  const after = new Map(b.map((step) => [step.id, step]));
  const steps: ItemChange[] = [];
  for (const step of b) {
    const old = before.get(step.id);
    if (!old) steps.push({ id: step.id, change: 'added', kind: stepKind(step), fields: [] });
    else {
      const fields = objectChanges(old, step);
      if (fields.length > 0) steps.push({ id: step.id, change: 'changed', kind: stepKind(step), fields });
    }
  }
  for (const step of a) {
    if (!after.has(step.id)) steps.push({ id: step.id, change: 'removed', kind: stepKind(step), fields: [] });
  }
  const common = (list: Step[], other: Map<string, Step>) =>
    list.filter((step) => other.has(step.id)).map((step) => step.id);
  const stepOrderChanged = common(a, after).join('\u0000') !== common(b, before).join('\u0000');
  return { steps, stepOrderChanged };
}

function diffGraphs(a: RoutineVersion, b: RoutineVersion): Pick<RoutineDiff, 'elements' | 'flows'> {
  const several =
    new Set([...Object.keys(a.compiled.processes), ...Object.keys(b.compiled.processes)]).size > 1;
  const elements = diffById(
    graphItems(a, (graph) => graph.elements),
    graphItems(b, (graph) => graph.elements),
    several,
  );
  const flows = diffById(
    graphItems(a, (graph) => graph.flows),
    graphItems(b, (graph) => graph.flows),
    several,
  );
  return { elements, flows };
}

type GraphItem = { processId: string; id: string; value: Record<string, unknown> };

function graphItems(
  version: RoutineVersion,
  pick: (graph: ProcessGraph) => Record<string, FlowElement | ProcessGraph['flows'][string]>,
): Map<string, GraphItem> {
  const items = new Map<string, GraphItem>();
  for (const [processId, graph] of Object.entries(version.compiled.processes)) {
    for (const [id, value] of Object.entries(pick(graph))) {
      items.set(`${processId}\u0000${id}`, { processId, id, value: value as Record<string, unknown> });
    }
  }
  return items;
}

function diffById(a: Map<string, GraphItem>, b: Map<string, GraphItem>, several: boolean): ItemChange[] {
  const changes: ItemChange[] = [];
  const base = (item: GraphItem) => ({
    id: item.id,
    ...(typeof item.value.kind === 'string' ? { kind: item.value.kind } : {}),
    ...(several ? { processId: item.processId } : {}),
  });
  for (const [key, item] of b) {
    const old = a.get(key);
    if (!old) changes.push({ ...base(item), change: 'added', fields: [] });
    else {
      const fields = objectChanges(old.value, item.value).filter(({ field }) => !WIRING.has(field));
      if (fields.length > 0) changes.push({ ...base(item), change: 'changed', fields });
    }
  }
  for (const [key, item] of a)
    if (!b.has(key)) changes.push({ ...base(item), change: 'removed', fields: [] });
  return changes;
}

/** Top-level fields of two objects that differ (compared as canonical JSON), in key order. */
function objectChanges(a: Record<string, unknown>, b: Record<string, unknown>): FieldChange[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((key) => fieldChange(key, a[key], b[key]));
}

function fieldChange(field: string, from: unknown, to: unknown): FieldChange[] {
  const empty = (value: unknown) =>
    value === undefined ||
    value === null ||
    (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
  if (canonicalJson(from) === canonicalJson(to) || (empty(from) && empty(to))) return [];
  return [
    {
      field,
      ...(empty(from) ? {} : { from: from as JsonValue }),
      ...(empty(to) ? {} : { to: to as JsonValue }),
    },
  ];
}

function stepsOf(version: RoutineVersion): Step[] {
  return JSON.parse(version.source) as Step[];
}

function stepKind(step: Step): string {
  return step.prompt !== undefined ? 'prompt' : step.expression !== undefined ? 'expression' : 'type';
}

/** The source as a person diffs it: BPMN as written, steps one field a line. */
function readable(version: RoutineVersion): string {
  return version.kind === 'sequence' ? JSON.stringify(JSON.parse(version.source), null, 2) : version.source;
}
