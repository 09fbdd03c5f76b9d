import { type Agent, LEADER_ROLE } from '../../schema/agent.ts';
import type { JsonSchema, Variables } from '../../schema/json.ts';
import type { SubtaskProposal } from '../../schema/swarm.ts';
import { globMatches } from '../../schema/tools.ts';
import type { RelatedScores, Scored } from '../knowledge/scored.ts';
import type { RoutineInterface } from '../store/routine-store.ts';

const maxSubtaskIdLength = 100;
/** How many of the nearest routines a plan that found none names. */
const nearestShown = 3;

/** A routine's required input fields that neither the swarm's input nor its dependencies' outputs give. */
export interface MissingRoutineInput {
  routineId: string;
  fields: string[];
}

/**
 * What the rule-based planner made of a goal:
 * - `planned`: the subtasks to run;
 * - `no-match`: no routine is like the goal; the nearest ones, with their similarity scores;
 * - `missing-input`: routines were chosen, but some require input nobody supplies.
 */
export type RulePlan =
  | { kind: 'planned'; subtasks: SubtaskProposal[] }
  | { kind: 'no-match'; nearest: { routineId: string; score: number }[] }
  | { kind: 'missing-input'; subtasks: SubtaskProposal[]; missing: MissingRoutineInput[] };

/**
 * The rule-based planner: the routines most similar to the goal as subtasks, a routine after
 * the ones whose outputs its input requires, each assigned to a team agent allowed to run it.
 * A routine's required input must come from the swarm's `input` or from the routines it depends on.
 * `ranked` is the catalog ranked by semantic similarity to the goal (the knowledge base's search,
 * see activities/knowledge/routine-ranking.ts), most similar first; `relatedScores` are the
 * embedder's calibrated thresholds.
 */
export function planFromRoutines(request: {
  ranked: readonly Scored<RoutineInterface>[];
  relatedScores: RelatedScores;
  team: readonly Agent[];
  maxSubtasks: number;
  input: Variables;
}): RulePlan {
  const { ranked } = request;
  const chosen = routinesLike(ranked, request.relatedScores).slice(0, request.maxSubtasks);
  if (chosen.length === 0) {
    const nearest = ranked
      .slice(0, nearestShown)
      .map(({ item, score }) => ({ routineId: item.id, score: Math.round(score * 1000) / 1000 }));
    return { kind: 'no-match', nearest };
  }
  const ordered = orderByDependencies(chosen);
  const subtasks = ordered.map(({ routine, dependsOn }) => {
    const assignee = assigneeFor(routine.id, request.team);
    return {
      id: subtaskIdOf(routine.id),
      description: routine.description ? `${routine.name}: ${routine.description}` : routine.name,
      dependsOn: dependsOn.map((producer) => subtaskIdOf(producer.id)),
      routineId: routine.id,
      ...(assignee === undefined ? {} : { assignee: assignee.id }),
    };
  });
  const supplied = Object.keys(request.input);
  const missing = ordered.flatMap(({ routine, dependsOn }): MissingRoutineInput[] => {
    const given = new Set([
      ...supplied,
      ...dependsOn.flatMap((producer) => propertyNames(producer.outputSchema)),
    ]);
    const fields = requiredNames(routine.inputSchema).filter((name) => !given.has(name));
    return fields.length === 0 ? [] : [{ routineId: routine.id, fields }];
  });
  return missing.length === 0 ? { kind: 'planned', subtasks } : { kind: 'missing-input', subtasks, missing };
}

/** The routines similar enough to the goal, most similar first; the best one from a lower score. */
function routinesLike(
  ranked: readonly Scored<RoutineInterface>[],
  scores: RelatedScores,
): RoutineInterface[] {
  return ranked
    .filter(({ score }, index) => score >= scores.related || (index === 0 && score >= scores.best))
    .map(({ item }) => item);
}

/**
 * The routines in an order where each comes after those producing what it requires. In a
 * cycle the most similar routine goes first, depending only on routines already placed.
 */
export function orderByDependencies(
  routines: readonly RoutineInterface[],
): { routine: RoutineInterface; dependsOn: RoutineInterface[] }[] {
  const ordered: { routine: RoutineInterface; dependsOn: RoutineInterface[] }[] = [];
  const placed = new Set<RoutineInterface>();
  let remaining = [...routines];
  const producersOf = (routine: RoutineInterface) =>
    routines.filter((other) => other !== routine && produces(other, routine));
  while (remaining.length > 0) {
    const next =
      remaining.find((r) => producersOf(r).every((p) => placed.has(p))) ?? (remaining[0] as RoutineInterface);
    ordered.push({ routine: next, dependsOn: [...placed].filter((p) => produces(p, next)) });
    placed.add(next);
    remaining = remaining.filter((r) => r !== next);
  }
  return ordered;
}

/** Whether `producer`'s output schema has a property `consumer`'s input schema requires. */
function produces(producer: RoutineInterface, consumer: RoutineInterface): boolean {
  const outputs = propertyNames(producer.outputSchema);
  return requiredNames(consumer.inputSchema).some((name) => outputs.includes(name));
}

function requiredNames(schema: JsonSchema | null): string[] {
  const required = schema?.required;
  return Array.isArray(required) ? required.filter((name): name is string => typeof name === 'string') : [];
}

function propertyNames(schema: JsonSchema | null): string[] {
  const properties = schema?.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

/** The first agent other than the leader allowed to run the routine, else the leader. */
function assigneeFor(routineId: string, team: readonly Agent[]): Agent | undefined {
  const allowed = (agent: Agent) => agent.routines.some((glob) => globMatches(glob, routineId));
  return (
    team.find((agent) => agent.role !== LEADER_ROLE && allowed(agent)) ??
    team.find((agent) => agent.role === LEADER_ROLE)
  );
}

function subtaskIdOf(routineId: string): string {
  return routineId.slice(0, maxSubtaskIdLength);
}
