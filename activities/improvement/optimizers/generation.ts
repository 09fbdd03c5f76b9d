import { compileDefinition } from '../../../compiler/compile-definition.ts';
import { RoutineCompileError } from '../../../compiler/errors.ts';
import type { EvalCase } from '../../../schema/evaluation.ts';
import type { CandidateProposal, ImprovementEvidence, OptimizerResult } from '../../../schema/improvement.ts';
import type { RoutineDefinition } from '../../../schema/routine.ts';
import { NO_USAGE } from '../../../schema/usage.ts';
import { type GenerationCapabilities, generationCapabilities } from '../generation/capabilities.ts';
import { generateRoutine, RoutineGenerationError } from '../generation/generate-routine.ts';
import type { Optimizer, OptimizerContext } from '../optimizer.ts';

/**
 * The `generation` optimizer: a fresh routine drafted for the routine's goal (its description,
 * else its name) from the evidence's cases with an expected output, through routine generation's
 * compile-check loop, within the cycle's budget. The candidate keeps the baseline's contract (id,
 * name, description, schemas, limits, strategy, tool policy, routine evaluation section) and only
 * its body is new; step evaluation sections are dropped, as their steps are gone. Nothing to
 * propose when the routine states no goal, or when no draft compiled within the attempts or budget.
 */
export function generationOptimizer(
  capabilities: GenerationCapabilities = generationCapabilities(),
): Optimizer {
  return {
    name: 'generation',
    async propose(evidence: ImprovementEvidence, context: OptimizerContext): Promise<OptimizerResult> {
      const baseline = evidence.baseline.definition;
      const goal = baseline.description?.trim() || baseline.name?.trim();
      if (!goal) return { candidates: [], usage: { ...NO_USAGE } };
      const examples: EvalCase[] = evidence.cases.flatMap(({ input, expected }) =>
        expected === undefined ? [] : [{ input, expected }],
      );
      try {
        const generated = await generateRoutine(
          context,
          {
            id: baseline.id,
            goal,
            examples,
            ...capabilities,
            ...(baseline.inputSchema ? { inputSchema: baseline.inputSchema } : {}),
            ...(baseline.outputSchema ? { outputSchema: baseline.outputSchema } : {}),
          },
          {
            ...(context.model === undefined ? {} : { model: context.model }),
            budgetCredits: context.budgetCredits,
          },
        );
        const candidate = await withContract(baseline, generated.definition);
        const candidates: CandidateProposal[] = candidate
          ? [
              {
                optimizer: 'generation',
                change: `a new ${candidate.body.kind} routine drafted for "${goal}" (${generated.attempts} ${generated.attempts === 1 ? 'answer' : 'answers'})`,
                definition: candidate,
              },
            ]
          : [];
        return { candidates, usage: generated.usage };
      } catch (error) {
        if (error instanceof RoutineGenerationError) return { candidates: [], usage: error.usage };
        throw error;
      }
    },
  };
}

/** The generated body under the baseline's contract, when that still compiles. */
async function withContract(
  baseline: RoutineDefinition,
  generated: RoutineDefinition,
): Promise<RoutineDefinition | undefined> {
  const { stepEvaluations: _steps, body: _body, ...contract } = baseline;
  const candidate: RoutineDefinition = { ...contract, body: generated.body };
  try {
    await compileDefinition(candidate);
    return candidate;
  } catch (error) {
    if (error instanceof RoutineCompileError) return undefined;
    throw error;
  }
}
