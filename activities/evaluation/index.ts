import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { elementsById, outputSchemaOf } from '../../compiler/evaluation.ts';
import { canonicalJson } from '../../compiler/hash.ts';
import type { Database } from '../../schema/db/tables.ts';
import type { Evaluation, ScorerResult } from '../../schema/evaluation.ts';
import type { FlowElement } from '../../schema/graph.ts';
import type { JsonValue, Variables } from '../../schema/json.ts';
import type { RoutineVersion } from '../../schema/routine.ts';
import { sumUsage, type Usage } from '../../schema/usage.ts';
import { currentActivityScope } from '../resilience/activity-scope.ts';
import { toActivityFailure } from '../resilience/classify.ts';
import { UnknownRoutineError, UnknownRoutineVersionError } from '../store/errors.ts';
import { RoutineStore } from '../store/routine-store.ts';
import { recordStep } from '../store/run-read-model.ts';
import type { LlmTurnDependencies } from '../strategies/llm-turn-activity.ts';
import type { EvaluationActivities, ScoreCaseInput, ScoredCase } from './contract.ts';
import { type AskJudge, judgeThrough } from './judge-model.ts';
import { compositeScore } from './scorers/composite.ts';
import { defaultMatchScorer } from './scorers/match-scorer.ts';
import { type SectionScore, scoreSection } from './scorers/score-section.ts';

export interface EvaluationDependencies extends LlmTurnDependencies {
  db: Kysely<Database>;
}

/** The element type of the run_steps row that charges a run's scoring (its judges' usage) to its tenant. */
export const EVALUATION_ELEMENT_TYPE = 'evaluation';

/** The `scoreCase` activity (see EvaluationActivities). */
export function createEvaluationActivities(dependencies: EvaluationDependencies): EvaluationActivities {
  return {
    scoreCase: (input) => scoreCase(dependencies, input, currentActivityScope().signal),
  };
}

/**
 * What `scoreCase` does, callable outside Temporal with its cancellation given. The version's
 * evaluation sections and output schemas come from the store; step outputs from the run's
 * run_steps rows (the last completed row of each step). The case score is the weighted mean of
 * every scorer's, the routine's and its steps' (named `<element id>/<scorer>`); it passes when the
 * routine's section and each step's reach their pass scores. With a run, what the judges used is
 * recorded as one `evaluation` step of that run, so the tenant's credits count it like any LLM
 * step's; the row's key is derived from what was scored, so a retry writes it once.
 */
export async function scoreCase(
  { db, ...llm }: EvaluationDependencies,
  input: ScoreCaseInput,
  signal: AbortSignal,
): Promise<ScoredCase | null> {
  const version = await loadVersion(db, input);
  const ask = judgeThrough(llm, signal);
  const own = await scoreRoutine(version, input, ask);
  const steps = input.runId === undefined ? [] : await scoreSteps(db, version, input, input.runId, ask);
  if (own === null && steps.length === 0) return null;
  const usage = sumUsage([...(own ? [own.usage] : []), ...steps.map((step) => step.usage)]);
  const reasons: ScorerResult[] = [
    ...(own?.score.reasons ?? []),
    ...steps.flatMap(({ elementId, score }) =>
      score.reasons.map((reason) => ({ ...reason, name: `${elementId}/${reason.name}` })),
    ),
  ];
  const combined = compositeScore(reasons, 0);
  const passed = (own?.score.passed ?? true) && steps.every((step) => step.score.passed);
  if (input.runId !== undefined) await chargeRun(db, input, input.runId, usage);
  return {
    score: combined.score,
    passed,
    reasons,
    steps: steps.map(({ elementId, score }) => ({ elementId, score })),
    usage,
  };
}

async function loadVersion(db: Kysely<Database>, input: ScoreCaseInput): Promise<RoutineVersion> {
  try {
    return await new RoutineStore(db).get(input.tenantId, input.routineId, input.version);
  } catch (error) {
    if (error instanceof UnknownRoutineError || error instanceof UnknownRoutineVersionError) {
      throw ApplicationFailure.create({ type: 'UnknownRoutine', message: error.message, nonRetryable: true });
    }
    throw toActivityFailure(error);
  }
}

/** The routine's own section, or with none, field match when the case has an expected output (eval mode). */
function routineSection(version: RoutineVersion, input: ScoreCaseInput): Evaluation | undefined {
  if (version.evaluation) return version.evaluation;
  if (input.mode === 'eval' && input.expected !== undefined)
    return { scorers: [defaultMatchScorer], passScore: 1 };
  return undefined;
}

function scoreRoutine(version: RoutineVersion, input: ScoreCaseInput, ask: AskJudge) {
  const section = routineSection(version, input);
  if (!section) return Promise.resolve(null);
  return scoreSection(
    section,
    {
      input: input.input,
      ...(input.output === undefined ? {} : { output: input.output }),
      missingOutput: 'the run produced no output',
      ...(input.expected === undefined ? {} : { expected: input.expected }),
      ...(input.reference === undefined ? {} : { reference: input.reference }),
      ...(version.outputSchema ? { outputSchema: version.outputSchema } : {}),
      mode: input.mode,
    },
    ask,
  );
}

interface StepScore extends SectionScore {
  elementId: string;
}

async function scoreSteps(
  db: Kysely<Database>,
  version: RoutineVersion,
  input: ScoreCaseInput,
  runId: string,
  ask: AskJudge,
): Promise<StepScore[]> {
  // By element id: the stored sections' order is the database's, not the author's.
  const sections = Object.entries(version.stepEvaluations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (sections.length === 0) return [];
  const outputs = await stepOutputs(db, input.tenantId, runId);
  const elements = elementsById(version.compiled);
  const scores = await Promise.all(
    sections.map(async ([elementId, section]): Promise<StepScore | null> => {
      const element = elements.get(elementId);
      const output =
        element && outputs.has(elementId) ? stepAnswer(element, outputs.get(elementId)) : undefined;
      const outputSchema = element && outputSchemaOf(element);
      const score = await scoreSection(
        section,
        {
          input: input.input,
          ...(output === undefined ? {} : { output }),
          missingOutput: `the step "${elementId}" did not complete in this run`,
          ...(outputSchema ? { outputSchema } : {}),
          mode: input.mode,
        },
        ask,
      );
      return score && { elementId, ...score };
    }),
  );
  return scores.filter((score): score is StepScore => score !== null);
}

/** The output of each step's last completed row in the run, by element id. */
async function stepOutputs(db: Kysely<Database>, tenantId: string, runId: string) {
  const rows = await db
    .selectFrom('run_steps')
    .select(['element_id', 'output'])
    .where('tenant_id', '=', tenantId)
    .where('run_id', '=', runId)
    .where('status', '=', 'completed')
    .where('element_type', '<>', EVALUATION_ELEMENT_TYPE)
    .orderBy('ended_at')
    .orderBy('step_key')
    .execute();
  return new Map(rows.map((row) => [row.element_id, row.output]));
}

/**
 * What a step's scorers see as its output: an LLM step's answer or an expression step's value (its
 * result variable, which its output schema describes), else a task's result variables.
 */
function stepAnswer(element: FlowElement, output: Variables | null | undefined): JsonValue | undefined {
  if (output === null || output === undefined) return undefined;
  if (element.kind !== 'workTask') return output;
  const { work } = element;
  return work.kind === 'llm' || work.kind === 'script' ? output[work.resultVariable] : output;
}

/** Records the judges' usage as a step of the run, the ledger tenant credits are summed from. */
async function chargeRun(db: Kysely<Database>, input: ScoreCaseInput, runId: string, usage: Usage) {
  if (usage.credits === 0 && usage.inputTokens === 0 && usage.outputTokens === 0) return;
  const scored = canonicalJson({
    mode: input.mode,
    version: input.version,
    output: input.output ?? null,
    expected: input.expected ?? null,
    reference: input.reference ?? null,
  });
  const key = createHash('sha256').update(scored).digest('hex').slice(0, 16);
  const now = new Date();
  try {
    await recordStep(db, {
      runId,
      stepKey: `evaluation/${input.mode}/${key}`,
      tenantId: input.tenantId,
      elementId: '$evaluation',
      elementType: EVALUATION_ELEMENT_TYPE,
      status: 'completed',
      attempt: 1,
      startedAt: new Date(now.getTime() - usage.wallMs),
      endedAt: now,
      durationMs: Math.round(usage.wallMs),
      usage,
    });
  } catch (error) {
    throw toActivityFailure(error);
  }
}
