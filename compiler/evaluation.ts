import {
  assertionExpression,
  type Evaluation,
  type StoredEvaluation,
  scorersNeedingExpected,
} from '../schema/evaluation.ts';
import type { CompiledRoutine, FlowElement } from '../schema/graph.ts';
import type { JsonSchema } from '../schema/json.ts';
import { jsonSchemaSyntaxError } from '../schema/json-schema.ts';
import type { RoutineDefinition } from '../schema/routine.ts';
import { type CompileProblem, RoutineCompileError } from './errors.ts';
import { feelSyntaxError } from './feel.ts';

/**
 * The routine's evaluation sections as a version stores them: its own, and its steps' (a
 * sequence step's `evaluation` and the definition's `stepEvaluations`, by element id); undefined
 * when it has none. Every problem is found here, at registration, naming the field:
 * @throws RoutineCompileError for FEEL assertions that do not parse, step ids the routine does not
 * have, a step given two sections, a `jsonSchema` scorer with no schema to check against, an
 * invalid scorer schema, or a step scorer that needs an expected output (steps have none).
 */
export function compileEvaluation(
  definition: RoutineDefinition,
  compiled: CompiledRoutine,
): StoredEvaluation | undefined {
  const problems: CompileProblem[] = [];
  const steps = stepSections(definition, problems);
  const elements = elementsById(compiled);
  if (definition.evaluation) {
    checkSection(definition.evaluation, 'evaluation', definition.outputSchema, problems, {});
  }
  for (const [elementId, { section, field }] of Object.entries(steps)) {
    const element = elements.get(elementId);
    const subject = { elementId, elementType: 'step' };
    if (!element) {
      const known = [...elements.keys()].filter((id) => !id.startsWith('@'));
      problems.push({
        message: `"${field}": the routine has no step "${elementId}"; its steps are ${known.join(', ') || 'none'}`,
      });
      continue;
    }
    checkSection(section, field, outputSchemaOf(element), problems, subject);
    section.scorers.forEach((scorer, index) => {
      if (scorersNeedingExpected.has(scorer.kind)) {
        problems.push({
          ...subject,
          message: `"${field}.scorers[${index}]": a "${scorer.kind}" scorer needs an expected output, and a step has none; use jsonSchema, feel or judge`,
        });
      }
    });
  }
  if (problems.length > 0) throw new RoutineCompileError(problems);
  const sections = Object.fromEntries(Object.entries(steps).map(([id, { section }]) => [id, section]));
  if (!definition.evaluation && Object.keys(sections).length === 0) return undefined;
  return {
    ...(definition.evaluation ?? { scorers: [], passScore: 1 }),
    steps: sections,
  };
}

interface StepSection {
  section: Evaluation;
  /** Where it was given, for reports: `body.steps[2].evaluation` or `stepEvaluations.check`. */
  field: string;
}

function stepSections(
  definition: RoutineDefinition,
  problems: CompileProblem[],
): Record<string, StepSection> {
  const sections: Record<string, StepSection> = {};
  if (definition.body.kind === 'sequence') {
    definition.body.steps.forEach((step, index) => {
      if (step.evaluation) {
        sections[step.id] = { section: step.evaluation, field: `body.steps[${index}].evaluation` };
      }
    });
  }
  for (const [id, section] of Object.entries(definition.stepEvaluations ?? {})) {
    const field = `stepEvaluations.${id}`;
    const earlier = sections[id];
    if (earlier) {
      problems.push({
        elementId: id,
        elementType: 'step',
        message: `"${field}": the step already has "${earlier.field}"; give one of them`,
      });
      continue;
    }
    sections[id] = { section, field };
  }
  return sections;
}

function checkSection(
  section: Evaluation,
  field: string,
  outputSchema: JsonSchema | undefined,
  problems: CompileProblem[],
  subject: Pick<CompileProblem, 'elementId' | 'elementType'>,
): void {
  const report = (message: string) => problems.push({ ...subject, message });
  const names = new Set<string>();
  section.scorers.forEach((scorer, index) => {
    const at = `${field}.scorers[${index}]`;
    const name = scorer.name ?? scorer.kind;
    if (names.has(name)) {
      report(`"${at}": another scorer is called "${name}"; give each one its own "name"`);
    }
    names.add(name);
    if (scorer.kind === 'feel') {
      const error = feelSyntaxError(assertionExpression(scorer.assert));
      if (error) report(`"${at}.assert": ${error}`);
    }
    if (scorer.kind === 'jsonSchema') {
      if (scorer.schema === undefined && outputSchema === undefined) {
        const owner =
          subject.elementId === undefined ? 'the routine has no "outputSchema"' : 'the step has none';
        report(`"${at}.schema": give the schema to check against; ${owner}`);
      }
      const schemaError = scorer.schema && jsonSchemaSyntaxError(scorer.schema);
      if (schemaError) report(`"${at}.schema": ${schemaError}`);
    }
  });
}

/** Every element of every process of a compiled routine, by id. */
export function elementsById(compiled: CompiledRoutine): Map<string, FlowElement> {
  const elements = new Map<string, FlowElement>();
  for (const graph of Object.values(compiled.processes)) {
    for (const [id, element] of Object.entries(graph.elements)) elements.set(id, element);
  }
  return elements;
}

/** The JSON Schema a task's output is held to: a service task's or an LLM step's. */
export function outputSchemaOf(element: FlowElement): JsonSchema | undefined {
  if (element.kind !== 'workTask') return undefined;
  const { work } = element;
  return work.kind === 'service' || work.kind === 'llm'
    ? (work.outputSchema as JsonSchema | undefined)
    : undefined;
}
