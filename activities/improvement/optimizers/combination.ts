import { compileDefinition } from '../../../compiler/compile-definition.ts';
import { RoutineCompileError } from '../../../compiler/errors.ts';
import type { CandidateProposal, ImprovementEvidence, OptimizerResult } from '../../../schema/improvement.ts';
import type { RoutineDefinition } from '../../../schema/routine.ts';
import { NO_USAGE } from '../../../schema/usage.ts';
import { type ChainLink, chainRoutines } from '../combination/chain-routines.ts';
import { mergeVariants, type ScoredVariant } from '../combination/merge-variants.ts';
import type { Optimizer } from '../optimizer.ts';

/** What the combination optimizer reads beyond the evidence (see storeCombinationSources). */
export interface CombinationSources {
  /** Another routine of the tenant as a chain uses it (its latest version); undefined when there is none. */
  routine(tenantId: string, routineId: string): Promise<ChainLink | undefined>;
  /** The routine's other versions that have a completed eval, with that eval's cases, best first. */
  variants(tenantId: string, routineId: string, exceptVersion: number): Promise<ScoredVariant[]>;
}

/** Chains proposed at most per cycle, most often seen first (the insights' order). */
const MAX_CHAINS = 2;
/** Variants merged with the baseline at most per cycle, best first. */
const MAX_MERGES = 2;

/**
 * The `combination` optimizer, without LLM calls:
 * - chains: for each of the insights' chain candidates (routines run one after the other whose
 *   schemas connect, this routine on either side), a new BPMN routine calling the two in sequence
 *   with the covered fields mapped across (chainRoutines); its id is `<before>_then_<after>`, a
 *   routine of its own, not a version of this one;
 * - merges: for a sequence routine, the baseline's steps merged with another version's, each
 *   differing step taken from the variant that scored better where they differ (mergeVariants
 *   states the rule), with the evidence's cases as the baseline's scores.
 * Every candidate compiles (one that does not is dropped).
 */
export function combinationOptimizer(sources: CombinationSources): Optimizer {
  return {
    name: 'combination',
    async propose(evidence: ImprovementEvidence): Promise<OptimizerResult> {
      const candidates = [...(await chains(evidence, sources)), ...(await merges(evidence, sources))];
      return { candidates, usage: { ...NO_USAGE } };
    },
  };
}

async function chains(
  evidence: ImprovementEvidence,
  sources: CombinationSources,
): Promise<CandidateProposal[]> {
  const self = linkOf(evidence.baseline.definition);
  const proposals: CandidateProposal[] = [];
  for (const pair of (evidence.insights?.chainCandidates ?? []).slice(0, MAX_CHAINS)) {
    const otherId = pair.before === self.id ? pair.after : pair.before;
    if (otherId === self.id) continue;
    const other = await sources.routine(evidence.tenantId, otherId);
    if (!other) continue;
    const [before, after] = pair.before === self.id ? [self, other] : [other, self];
    const definition = await compiling(chainRoutines(before, after, pair.coveredFields));
    if (!definition) continue;
    const fields = pair.coveredFields.length > 0 ? pair.coveredFields.join(', ') : 'all variables';
    proposals.push({
      optimizer: 'combination',
      change: `new routine ${definition.id}: calls ${before.id}, then ${after.id} with its output (${fields})`,
      definition,
    });
  }
  return proposals;
}

async function merges(
  evidence: ImprovementEvidence,
  sources: CombinationSources,
): Promise<CandidateProposal[]> {
  const { baseline } = evidence;
  if (baseline.definition.body.kind !== 'sequence' || evidence.cases.length === 0) return [];
  const self: ScoredVariant = {
    version: baseline.version,
    definition: baseline.definition,
    cases: evidence.cases,
  };
  const variants = await sources.variants(evidence.tenantId, evidence.routineId, baseline.version);
  const proposals: CandidateProposal[] = [];
  for (const variant of variants.slice(0, MAX_MERGES)) {
    const merged = mergeVariants(self, variant);
    if (!merged) continue;
    const definition = await compiling({ ...merged.definition, id: evidence.routineId });
    if (!definition) continue;
    const picks = merged.picks.map((pick) => `${pick.stepId} from v${pick.version}`).join(', ');
    proposals.push({
      optimizer: 'combination',
      change: `steps of versions ${baseline.version} and ${variant.version} merged: ${picks}`,
      definition,
    });
  }
  return proposals;
}

function linkOf(definition: RoutineDefinition): ChainLink {
  return {
    id: definition.id,
    ...(definition.name ? { name: definition.name } : {}),
    ...(definition.inputSchema ? { inputSchema: definition.inputSchema } : {}),
    ...(definition.outputSchema ? { outputSchema: definition.outputSchema } : {}),
  };
}

async function compiling(definition: RoutineDefinition): Promise<RoutineDefinition | undefined> {
  try {
    await compileDefinition(definition);
    return definition;
  } catch (error) {
    if (error instanceof RoutineCompileError) return undefined;
    throw error;
  }
}
