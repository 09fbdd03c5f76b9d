import { z } from 'zod';
import { Evaluation } from './evaluation.ts';
import { CompiledRoutine } from './graph.ts';
import { ImprovementPolicy } from './improvement-policy.ts';
import { JsonSchema } from './json.ts';
import { RunLimits } from './limits.ts';
import { StrategyChoice } from './strategy.ts';
import { ToolPolicy } from './tools.ts';
import { VersionLineage, VersionStatus } from './version-lineage.ts';

export const RoutineId = z
  .string()
  .regex(/^[A-Za-z_][\w.-]{0,127}$/, 'use letters, digits, "_", "." or "-", starting with a letter or "_"');

export const DEFAULT_TENANT = 'default';

/** One step of a sequence routine: a task type to run, a FEEL expression to evaluate, or an LLM prompt. */
export const SequenceStep = z
  .object({
    id: z.string().regex(/^[A-Za-z_][\w-]*$/, 'step ids are identifiers such as "fetch_order"'),
    name: z.string().optional(),
    type: z.string().min(1).optional().describe('task type from the registry, e.g. "echo"'),
    expression: z.string().min(1).optional().describe('FEEL expression; its value goes to resultVariable'),
    resultVariable: z.string().min(1).optional(),
    inputs: z.record(z.string(), z.string()).optional().describe('local variable name -> FEEL expression'),
    outputs: z.record(z.string(), z.string()).optional().describe('process variable name -> FEEL expression'),
    headers: z.record(z.string(), z.string()).optional(),
    retries: z.number().int().min(0).optional(),
    timeoutMs: z.number().int().positive().optional(),
    outputSchema: JsonSchema.optional(),
    prompt: z.string().min(1).optional().describe('an LLM prompt template: {{ FEEL }} placeholders'),
    system: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    strategy: StrategyChoice.optional(),
    tools: z.array(z.string().min(1)).optional().describe('globs over "<server>/<tool>" the LLM may call'),
    maxTurns: z.number().int().positive().optional(),
    maxToolCalls: z.number().int().min(0).optional(),
    maxOutputRetries: z.number().int().min(0).optional(),
    sensitive: z.boolean().optional(),
    requireApprovalFor: z.array(z.string().min(1)).optional(),
    failOnRejection: z.boolean().optional(),
    evaluation: Evaluation.optional().describe("how this step's output is scored"),
  })
  .superRefine((step, ctx) => {
    if ([step.type, step.expression, step.prompt].filter(Boolean).length !== 1) {
      const message = 'give exactly one of "type", "expression" or "prompt"';
      ctx.addIssue({ code: 'custom', message, path: ['type'] });
    }
    if (step.expression && !step.resultVariable) {
      ctx.addIssue({
        code: 'custom',
        message: 'an expression step needs "resultVariable"',
        path: ['resultVariable'],
      });
    }
  });
export type SequenceStep = z.infer<typeof SequenceStep>;

export const BpmnBody = z.object({ kind: z.literal('bpmn'), xml: z.string().min(1) });
export const SequenceBody = z.object({ kind: z.literal('sequence'), steps: z.array(SequenceStep).min(1) });
export const RoutineBody = z.discriminatedUnion('kind', [BpmnBody, SequenceBody]);
export type RoutineBody = z.infer<typeof RoutineBody>;

/** What a user registers: a JSON routine file or the SDK's argument. */
export const RoutineDefinition = z.object({
  id: RoutineId,
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  inputSchema: JsonSchema.optional(),
  outputSchema: JsonSchema.optional(),
  limits: RunLimits.partial().optional(),
  strategy: StrategyChoice.optional().describe("the default strategy of the routine's LLM steps"),
  toolPolicy: ToolPolicy.optional().describe('tightens the deployment tool policy for this routine'),
  evaluation: Evaluation.optional().describe("how the routine's output is scored"),
  stepEvaluations: z
    .record(z.string(), Evaluation)
    .optional()
    .describe(
      "how a step's output (an LLM or expression step's result, a task's result variables) is scored, by element id",
    ),
  improvement: ImprovementPolicy.optional().describe("how the routine's improvement cycles run and decide"),
  body: RoutineBody,
});
export type RoutineDefinition = z.infer<typeof RoutineDefinition>;
export type RoutineDefinitionInput = z.input<typeof RoutineDefinition>;

/** A stored, compiled version of a routine. */
export const RoutineVersion = z.object({
  tenantId: z.string(),
  id: RoutineId,
  version: z.number().int().positive(),
  name: z.string(),
  description: z.string().nullable(),
  kind: z.enum(['bpmn', 'sequence']),
  source: z.string().describe('the BPMN XML, or the sequence steps as JSON'),
  compiled: CompiledRoutine,
  hash: z.string(),
  inputSchema: JsonSchema.nullable(),
  outputSchema: JsonSchema.nullable(),
  limits: RunLimits.partial(),
  /** The routine's own evaluation section; null when it has none. */
  evaluation: Evaluation.nullable(),
  /** Its steps' evaluation sections, by element id. */
  stepEvaluations: z.record(z.string(), Evaluation),
  /** Its place in the life cycle: runs without an explicit version start the active one. */
  status: VersionStatus.optional(),
  /** The version it was proposed from, and how; absent for versions a person registered. */
  parentVersion: z.number().int().positive().nullable().optional(),
  lineage: VersionLineage.nullable().optional(),
  /** Its improvement section; null when it has none. */
  improvement: ImprovementPolicy.nullable().optional(),
  createdAt: z.date(),
});
export type RoutineVersion = z.infer<typeof RoutineVersion>;

export const RoutineSummary = z.object({
  tenantId: z.string(),
  id: RoutineId,
  name: z.string(),
  description: z.string().nullable(),
  latestVersion: z.number().int().positive(),
  /** The version runs start when they name none. */
  activeVersion: z.number().int().positive().optional(),
  kind: z.enum(['bpmn', 'sequence']),
  updatedAt: z.date(),
});
export type RoutineSummary = z.infer<typeof RoutineSummary>;
