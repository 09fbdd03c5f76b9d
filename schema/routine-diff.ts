import { z } from 'zod';
import { JsonValue } from './json.ts';
import { RoutineId } from './routine.ts';

/**
 * What changed between two versions of a routine, as `swarmflow routine diff` and
 * `GET /v1/routines/:id/diff` show it. Values are JSON; a field absent on one side has no
 * `from` (added) or no `to` (removed).
 */
export const FieldChange = z.object({
  field: z.string(),
  from: JsonValue.optional(),
  to: JsonValue.optional(),
});
export type FieldChange = z.infer<typeof FieldChange>;

/** A step, element or flow added, removed or changed (with its changed fields), by id. */
export const ItemChange = z.object({
  id: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
  /** The element's kind (BPMN) or the step's (type, expression or prompt). */
  kind: z.string().optional(),
  /** The process it belongs to, for BPMN models with several. */
  processId: z.string().optional(),
  fields: z.array(FieldChange).default([]),
});
export type ItemChange = z.infer<typeof ItemChange>;

export const VersionRef = z.object({
  version: z.number().int().positive(),
  kind: z.enum(['bpmn', 'sequence']),
  hash: z.string(),
});

export const RoutineDiff = z.object({
  routineId: RoutineId,
  from: VersionRef,
  to: VersionRef,
  /** Same content hash, and no metadata changed. */
  identical: z.boolean(),
  /** name, description, inputSchema, outputSchema, limits, evaluation, stepEvaluations, kind. */
  metadata: z.array(FieldChange),
  /** Sequence routines (both versions): steps by id, in the newer version's order, then removed ones. */
  steps: z.array(ItemChange).optional(),
  /** Sequence routines: whether the steps both versions have run in another order. */
  stepOrderChanged: z.boolean().optional(),
  /** Otherwise: the compiled graph's elements and sequence flows by id. */
  elements: z.array(ItemChange).optional(),
  flows: z.array(ItemChange).optional(),
  /** A unified diff of the two sources (the BPMN XML, the steps as indented JSON); empty when equal. */
  sourceDiff: z.string(),
});
export type RoutineDiff = z.infer<typeof RoutineDiff>;
