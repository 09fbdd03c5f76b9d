import { canonicalJson } from '../../schema/canonical-json.ts';
import type { ChainCandidate } from '../../schema/insights.ts';
import type { JsonSchema } from '../../schema/json.ts';

export interface RecordedRun {
  runId: string;
  routineId: string;
  startedAt: Date;
  endedAt: Date;
  input: Record<string, unknown>;
  outputs: Record<string, unknown> | null;
}

export interface RoutineSchemas {
  input: JsonSchema | null;
  output: JsonSchema | null;
}

export interface ChainOptions {
  /** A run that starts within this long after another ended follows it; default one minute. */
  windowMs?: number;
  /** Pairs seen fewer times are not reported; default 2. */
  minPairs?: number;
}

/**
 * Routines run one after another whose schemas fit, with `routineId` on either side: `after`
 * follows `before` in a swarm (a subtask of `after` depends on one of `before`) or back to back (a
 * run of `after` starts within the window after a run of `before` ended, the first such run), at
 * least `minPairs` times, and `before`'s output schema declares every required input field of
 * `after` (with the same type where both name one). Most often seen first. Pure.
 */
export function findRoutineChains(
  routineId: string,
  swarmPairs: readonly { before: string; after: string }[],
  runs: readonly RecordedRun[],
  schemas: ReadonlyMap<string, RoutineSchemas>,
  { windowMs = 60_000, minPairs = 2 }: ChainOptions = {},
): ChainCandidate[] {
  const counts = new Map<
    string,
    { before: string; after: string; inSwarms: number; backToBack: number; chainedInputs: number }
  >();
  const entry = (before: string, after: string) => {
    const key = `${before}\u0000${after}`;
    let found = counts.get(key);
    if (!found) {
      found = { before, after, inSwarms: 0, backToBack: 0, chainedInputs: 0 };
      counts.set(key, found);
    }
    return found;
  };
  for (const pair of swarmPairs) {
    if (pair.before !== pair.after && (pair.before === routineId || pair.after === routineId))
      entry(pair.before, pair.after).inSwarms += 1;
  }
  const byStart = [...runs].sort(
    (a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.runId.localeCompare(b.runId),
  );
  for (const a of byStart) {
    const ended = a.endedAt.getTime();
    const next = firstStartedFrom(byStart, ended, a.runId);
    if (next && next.startedAt.getTime() > ended + windowMs) continue;
    if (!next || next.routineId === a.routineId) continue;
    if (a.routineId !== routineId && next.routineId !== routineId) continue;
    const pair = entry(a.routineId, next.routineId);
    pair.backToBack += 1;
    if (feeds(a.outputs, next.input)) pair.chainedInputs += 1;
  }
  const candidates: ChainCandidate[] = [];
  for (const pair of counts.values()) {
    if (pair.inSwarms + pair.backToBack < minPairs) continue;
    const coveredFields = coverage(
      schemas.get(pair.before)?.output ?? null,
      schemas.get(pair.after)?.input ?? null,
    );
    if (coveredFields === undefined) continue;
    candidates.push({ ...pair, coveredFields });
  }
  return candidates.sort(
    (a, b) =>
      b.inSwarms + b.backToBack - (a.inSwarms + a.backToBack) ||
      a.before.localeCompare(b.before) ||
      a.after.localeCompare(b.after),
  );
}

/** The first run (by start) started at or after `time`, other than `runId`: a binary search. */
function firstStartedFrom(
  byStart: readonly RecordedRun[],
  time: number,
  runId: string,
): RecordedRun | undefined {
  let low = 0;
  let high = byStart.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((byStart[mid] as RecordedRun).startedAt.getTime() < time) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < byStart.length; i++)
    if ((byStart[i] as RecordedRun).runId !== runId) return byStart[i];
  return undefined;
}

/** Whether some field of `input` holds the same value as the field of that name in `outputs`. */
function feeds(outputs: Record<string, unknown> | null, input: Record<string, unknown>): boolean {
  if (!outputs) return false;
  return Object.entries(input).some(
    ([key, value]) => key in outputs && canonicalJson(outputs[key]) === canonicalJson(value),
  );
}

/**
 * The fields of `input`'s schema that `output`'s declares: its required fields (else all its
 * properties); undefined when one is missing or of another type, or there are none.
 */
export function coverage(output: JsonSchema | null, input: JsonSchema | null): string[] | undefined {
  const produced = properties(output);
  const wantedProps = properties(input);
  if (!produced || !wantedProps) return undefined;
  const required = Array.isArray(input?.required)
    ? (input.required as unknown[]).filter((r) => typeof r === 'string')
    : [];
  const needed = required.length > 0 ? (required as string[]) : Object.keys(wantedProps);
  if (needed.length === 0) return undefined;
  for (const field of needed) {
    const have = produced[field];
    if (have === undefined) return undefined;
    const wantType = typeOf(wantedProps[field]);
    const haveType = typeOf(have);
    if (wantType !== undefined && haveType !== undefined && wantType !== haveType) return undefined;
  }
  return [...needed].sort();
}

function properties(schema: JsonSchema | null): Record<string, unknown> | undefined {
  const props = schema?.properties;
  return props !== null && typeof props === 'object' && !Array.isArray(props)
    ? (props as Record<string, unknown>)
    : undefined;
}

function typeOf(schema: unknown): string | undefined {
  const type = (schema as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type : undefined;
}
