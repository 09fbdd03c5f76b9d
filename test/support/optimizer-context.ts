import type { OptimizerContext } from '../../activities/improvement/optimizer.ts';
import { ModelRegistry } from '../../activities/models/model-registry.ts';
import { CircuitBreakers } from '../../activities/resilience/circuit-breakers.ts';
import { DeploymentConfig } from '../../schema/deployment-config.ts';
import { type EvidenceCase, ImprovementEvidence } from '../../schema/improvement.ts';
import type { ScriptTurnInput } from '../../schema/models.ts';
import type { RoutineDefinitionInput } from '../../schema/routine.ts';

/** An optimizer context whose model "thinker" plays a script, priced 1 credit per 1k input tokens and 2 per 1k output. */
export function scriptedContext(
  turns: ScriptTurnInput[],
  extra: Partial<OptimizerContext> = {},
): OptimizerContext {
  const deployment = DeploymentConfig.parse({
    models: { thinker: { provider: 'scripted', turns } },
    defaultModel: 'thinker',
    prices: { models: { thinker: { inputPer1k: 1, outputPer1k: 2 } } },
  });
  return {
    models: new ModelRegistry(deployment),
    breakers: new CircuitBreakers(),
    prices: deployment.prices,
    budgetCredits: 100,
    ...extra,
  };
}

/** Evidence about version 1 of a routine with these cases (worst first, as the loop gives them). */
export function evidenceOf(
  definition: RoutineDefinitionInput,
  cases: EvidenceCase[],
  extra: Partial<ImprovementEvidence> = {},
): ImprovementEvidence {
  return ImprovementEvidence.parse({
    tenantId: 'default',
    routineId: definition.id,
    baseline: { version: 1, definition },
    cases: [...cases].sort((a, b) => a.score - b.score),
    feedback: [],
    models: ['thinker'],
    ...extra,
  });
}

/** A scorer's reason as the evidence carries it. */
export function reason(text: string, score = 0) {
  return { name: 'match', kind: 'match' as const, score, weight: 1, reason: text };
}
