import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { canaryRules } from '../../schema/canary-policy.ts';
import { splitOfCase } from '../../schema/dataset-split.ts';
import type { Database } from '../../schema/db/tables.ts';
import type { EvalCase } from '../../schema/evaluation.ts';
import type { EvidenceCase, ImprovementEvidence } from '../../schema/improvement.ts';
import type { CycleDataset, CyclePolicy, GatheredEvidence } from '../../schema/improvement-cycle.ts';
import {
  DEFAULT_CYCLE_BUDGET_CREDITS,
  DEFAULT_MARGIN,
  DEFAULT_OPTIMIZERS,
} from '../../schema/improvement-policy.ts';
import type { McpToolDescriptor } from '../../schema/tools.ts';
import { addUsage, NO_USAGE } from '../../schema/usage.ts';
import { routineInsights } from '../insights/routine-insights.ts';
import { indexBestEffort } from '../knowledge/best-effort.ts';
import { createEmbedder } from '../knowledge/create-embedder.ts';
import { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { processMetrics } from '../metrics/process-metrics.ts';
import { DatasetStore } from '../store/datasets/dataset-store.ts';
import { loadStoredCases } from '../store/datasets/load-dataset-cases.ts';
import { recordProposal, recordProposalDecision, rollBackProposal } from '../store/proposal-store.ts';
import { compileAndRegisterRoutine } from '../store/routine-registration.ts';
import { RoutineStore } from '../store/routine-store.ts';
import { CanaryVersionError } from '../store/version-errors.ts';
import type { Tier3Dependencies } from '../tier3/index.ts';
import { canaryHealth } from './canary-health.ts';
import { storeCombinationSources } from './combination/combination-sources.ts';
import type { ImprovementActivities } from './contract.ts';
import { earlierVariants } from './earlier-variants.ts';
import { OptimizerRegistry, optimizers as offeredOptimizers } from './optimizer-registry.ts';
import { combinationOptimizer } from './optimizers/index.ts';
import { tellParentTheCycleWaits } from './parent-notice.ts';

/** How many recent runs a cycle reads as evidence, and turns into cases when it builds a dataset. */
const RECENT_RUNS = 50;

/** Below this many cases a dataset is not split: a handful of validation cases measures nothing. */
const MIN_CASES_TO_SPLIT = 10;

/** The split's seed: the same cases land in the same split in every cycle. */
const splitSeed = (routineId: string) => `improve:${routineId}`;

export interface ImprovementActivityDependencies {
  db: Kysely<Database>;
  /** The deployment's models and breakers; its MCP pool, when there is one, lists the tools strategy evolution may give a step. */
  tier3: Pick<Tier3Dependencies, 'deployment' | 'models' | 'breakers'> &
    Partial<Pick<Tier3Dependencies, 'pool'>>;
  optimizers?: OptimizerRegistry;
  /** Where proposals and their decisions are indexed; the deployment's embedder by default. */
  knowledge?: KnowledgeBase;
  /** Tells a cycle's parent workflow (a swarm) when the cycle waits for a person; absent, nobody is told. */
  temporal?: Client;
}

/** The improvement loop's activities (see contract.ts), bound to the database and the deployment's models. */
export function createImprovementActivities({
  db,
  tier3,
  optimizers = new OptimizerRegistry([
    ...offeredOptimizers,
    combinationOptimizer(storeCombinationSources(db)),
  ]),
  knowledge = new KnowledgeBase(db, createEmbedder(tier3.deployment.embeddings)),
  temporal,
}: ImprovementActivityDependencies) {
  const routines = new RoutineStore(db);
  const { prices } = tier3.deployment;
  const price = (model: string) =>
    (prices.models[model]?.inputPer1k ?? 0) + (prices.models[model]?.outputPer1k ?? 0);

  /** The MCP tools the deployment's models may take; a server that cannot list them becomes a note. */
  const offeredTools = async (notes: string[]): Promise<McpToolDescriptor[]> => {
    const { pool } = tier3;
    if (pool === undefined) return [];
    const lists = await Promise.all(
      pool.serverNames().map((server) =>
        pool.listTools(server).catch((error: unknown) => {
          notes.push(`the tools of MCP server ${server} could not be listed: ${(error as Error).message}`);
          return [];
        }),
      ),
    );
    return lists.flat();
  };

  /**
   * Best effort: a proposal missing from the knowledge base must not fail or stall the cycle (its
   * bookkeeping activities retry without end, so an embedding provider that is down would hold the
   * cycle). The entry is written again at the proposal's next decision, or by `knowledge reindex`.
   */
  const indexProposal = (tenantId: string, id: string) =>
    indexBestEffort(`proposal ${id}`, () => knowledge.indexProposal(tenantId, id));

  return {
    async gatherEvidence(request) {
      const { tenantId, routineId } = request;
      processMetrics().improvementCycles.inc({ routine: routineId });
      const routine = await routines.get(tenantId, routineId);
      const definition = await routines.definition(tenantId, routineId, routine.version);
      const section = routine.improvement ?? {};
      const policy: CyclePolicy = {
        autoPromote: request.autoPromote ?? section.autoPromote ?? false,
        budgetCredits: request.budgetCredits ?? section.budgetCredits ?? DEFAULT_CYCLE_BUDGET_CREDITS,
        optimizers: request.optimizers ?? section.optimizers ?? [...DEFAULT_OPTIMIZERS],
        margin: section.margin ?? DEFAULT_MARGIN,
        ...(section.dataset === undefined ? {} : { dataset: section.dataset }),
        ...(section.maxMetricCalls === undefined ? {} : { maxMetricCalls: section.maxMetricCalls }),
        ...(section.canary === undefined ? {} : { canary: canaryRules(section.canary) }),
      };
      const runs = await db
        .selectFrom('runs')
        .select(['run_id', 'status', 'input', 'outputs', 'score', 'usage'])
        .where('tenant_id', '=', tenantId)
        .where('routine_id', '=', routineId)
        .where('routine_version', '=', routine.version)
        .where('run_id', 'not like', '%:case-%')
        .orderBy('started_at', 'desc')
        .limit(RECENT_RUNS)
        .execute();
      const completed = runs.filter((run) => run.status === 'completed');
      const scored = runs.filter((run) => run.score !== null);
      const cases: EvidenceCase[] = runs
        .filter((run) => run.status === 'completed' || run.status === 'failed')
        .map((run) => ({
          input: run.input,
          ...(run.outputs === null ? {} : { output: run.outputs }),
          score: run.score ?? (run.status === 'completed' ? 1 : 0),
          reasons: [],
          runId: run.run_id,
        }))
        .sort((a, b) => a.score - b.score);
      const feedback = await db
        .selectFrom('run_scores')
        .select(['run_id', 'score', 'reason'])
        .where('tenant_id', '=', tenantId)
        .where('routine_id', '=', routineId)
        .where('source', '=', 'feedback')
        .orderBy('created_at', 'desc')
        .limit(RECENT_RUNS)
        .execute();
      const insights = await routineInsights(db, tenantId, routineId, { maxRuns: 500 }).catch(
        () => undefined,
      );
      const average = (values: number[]) =>
        values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
      const score = average(scored.map((run) => run.score as number));
      const costPerRun = average(completed.map((run) => run.usage?.credits ?? 0));
      const evidence: ImprovementEvidence = {
        tenantId,
        routineId,
        baseline: {
          version: routine.version,
          definition,
          ...(score === undefined ? {} : { score }),
          ...(costPerRun === undefined ? {} : { costPerRun }),
        },
        cases,
        feedback: feedback.map((row) => ({ runId: row.run_id, score: row.score, reason: row.reason })),
        ...(insights === undefined ? {} : { insights }),
        variants: await earlierVariants(db, tenantId, routineId, routine.version),
        models: Object.keys(tier3.deployment.models).sort(
          (a, b) => price(a) - price(b) || a.localeCompare(b),
        ),
      };
      return { evidence, policy, runIds: runs.map((run) => run.run_id) } satisfies GatheredEvidence;
    },

    async refreshDataset({ tenantId, routineId, policy }) {
      let datasetId: string;
      let version: number;
      let stored: { case: EvalCase; split: 'train' | 'validation' | null }[];
      if (policy.dataset !== undefined) {
        datasetId = policy.dataset;
        const loaded = await loadStoredCases(db, tenantId, { dataset: datasetId });
        version = loaded.version;
        stored = loaded.cases.map(({ ordinal: _, split, ...evalCase }) => ({
          case: evalCase,
          split: split ?? null,
        }));
      } else {
        datasetId = `improve-${routineId}`;
        const store = new DatasetStore(db, tenantId);
        const created = await store
          .createFromRuns(datasetId, {
            routineId,
            status: 'completed',
            outputsAsExpected: true,
            limit: RECENT_RUNS,
          })
          .catch((error: unknown) => {
            throw ApplicationFailure.create({
              type: 'NoImprovementCases',
              nonRetryable: true,
              message: `routine "${routineId}" has no cases to evaluate on: ${(error as Error).message}`,
              details: [
                { hint: 'run the routine a few times, or name a dataset in its improvement section' },
              ],
            });
          });
        version = created.version;
        const loaded = await loadStoredCases(db, tenantId, { dataset: datasetId, version });
        stored = loaded.cases.map(({ ordinal: _, split: __, ...evalCase }) => ({
          case: evalCase,
          split: null,
        }));
      }
      const seed = splitSeed(routineId);
      const splitOf = (entry: (typeof stored)[number]) => entry.split ?? splitOfCase(entry.case, 0.5, seed);
      const all = stored.map((entry) => entry.case);
      // Too few cases to split and still measure a difference: every case trains and validates.
      if (stored.length < MIN_CASES_TO_SPLIT) return { datasetId, version, train: all, validation: all };
      let validation = stored.filter((entry) => splitOf(entry) === 'validation').map((entry) => entry.case);
      const train = stored.filter((entry) => splitOf(entry) === 'train').map((entry) => entry.case);
      if (validation.length < 2) validation = all;
      return { datasetId, version, train, validation } satisfies CycleDataset;
    },

    async proposeCandidates({ evidence, optimizers: names, budgetCredits }) {
      let usage = { ...NO_USAGE };
      const candidates = [];
      const notes: string[] = [];
      const tools = names.includes('strategyEvolution') ? await offeredTools(notes) : undefined;
      for (const name of names) {
        const optimizer = optimizers.get(name);
        if (!optimizer) {
          notes.push(
            `optimizer ${name} is not offered by this worker (it offers ${optimizers.names().join(', ')})`,
          );
          continue;
        }
        const remaining = budgetCredits - usage.credits;
        if (remaining <= 0) {
          notes.push(
            `optimizer ${name} was not asked: the proposal budget of ${budgetCredits} credits is spent`,
          );
          continue;
        }
        try {
          const result = await optimizer.propose(evidence, {
            models: tier3.models,
            breakers: tier3.breakers,
            prices,
            budgetCredits: remaining,
            ...(tools === undefined ? {} : { tools }),
          });
          usage = addUsage(usage, result.usage);
          candidates.push(...result.candidates);
        } catch (error) {
          notes.push(`optimizer ${name} failed: ${(error as Error).message}`);
        }
      }
      return { candidates, usage, notes };
    },

    async registerCandidate({ tenantId, cycleId, parentVersion, proposal, evidence }) {
      const { optimizer, change, definition } = proposal;
      try {
        return await compileAndRegisterRoutine(routines, tenantId, definition, {
          status: 'candidate',
          parentVersion,
          lineage: { optimizer, change, cycleId, evidence, evalIds: [] },
        });
      } catch (error) {
        return { version: 0, created: false, refused: (error as Error).message };
      }
    },

    async evalCaseScores({ tenantId, evalId }) {
      const rows = await db
        .selectFrom('eval_cases')
        .select('score')
        .where('tenant_id', '=', tenantId)
        .where('eval_id', '=', evalId)
        .orderBy('ordinal')
        .execute();
      return rows.map((row) => row.score);
    },

    recordLineageEvals: ({ tenantId, routineId, version, evalIds }) =>
      routines.addLineageEvals(tenantId, routineId, version, evalIds),
    async recordProposal(proposal) {
      const id = await recordProposal(db, proposal);
      await indexProposal(proposal.tenantId, id);
      if (proposal.decision === 'pending' && temporal !== undefined) {
        await tellParentTheCycleWaits(temporal, {
          cycleId: proposal.cycleId,
          proposalId: id,
          candidateVersion: proposal.candidateVersion,
        });
      }
      return id;
    },
    async recordProposalDecision(request) {
      const changed = await recordProposalDecision(db, request);
      await indexProposal(request.tenantId, request.id);
      return changed;
    },
    promoteVersion: ({ tenantId, routineId, version }) => routines.promote(tenantId, routineId, version),
    retireVersion: ({ tenantId, routineId, version }) =>
      routines.setStatus(tenantId, routineId, version, 'retired'),
    async startCanary({ tenantId, routineId, version, percent }) {
      try {
        return await routines.startCanary(tenantId, routineId, version, percent);
      } catch (error) {
        if (!(error instanceof CanaryVersionError)) throw error;
        throw ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: true });
      }
    },
    canaryHealth: (request) => canaryHealth(db, routines, request),
    endCanary: ({ tenantId, routineId, version }) => routines.endCanary(tenantId, routineId, version),
    async rollBackProposal(request) {
      const changed = await rollBackProposal(db, request);
      await indexProposal(request.tenantId, request.id);
      return changed;
    },
  } satisfies ImprovementActivities;
}
