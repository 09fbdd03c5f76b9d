import type { RoutineDefinition, RoutineVersion, SequenceStep } from '../../schema/routine.ts';

/**
 * A stored version as a definition again, to change and register anew: its body from the source,
 * its schemas, limits and evaluation sections (a sequence step's own section stays on the step and
 * is not repeated under stepEvaluations). The routine's default strategy and tool policy are
 * compiled into the graph, not stored apart, so they are not in it. Pure.
 */
export function routineVersionDefinition(version: RoutineVersion): RoutineDefinition {
  const steps = version.kind === 'sequence' ? (JSON.parse(version.source) as SequenceStep[]) : undefined;
  const ownSections = new Set((steps ?? []).filter((step) => step.evaluation).map((step) => step.id));
  const stepEvaluations = Object.fromEntries(
    Object.entries(version.stepEvaluations).filter(([id]) => !ownSections.has(id)),
  );
  return {
    id: version.id,
    name: version.name,
    ...(version.description === null ? {} : { description: version.description }),
    ...(version.inputSchema === null ? {} : { inputSchema: version.inputSchema }),
    ...(version.outputSchema === null ? {} : { outputSchema: version.outputSchema }),
    ...(Object.keys(version.limits).length === 0 ? {} : { limits: version.limits }),
    ...(version.evaluation === null ? {} : { evaluation: version.evaluation }),
    ...(Object.keys(stepEvaluations).length === 0 ? {} : { stepEvaluations }),
    body: steps ? { kind: 'sequence', steps } : { kind: 'bpmn', xml: version.source },
  };
}
