import type { Prices } from '../../schema/deployment-config.ts';
import type { ImprovementEvidence, OptimizerName, OptimizerResult } from '../../schema/improvement.ts';
import type { McpToolDescriptor } from '../../schema/tools.ts';
import type { ModelRegistry } from '../models/model-registry.ts';
import type { CircuitBreakers } from '../resilience/circuit-breakers.ts';

/** What an optimizer may use: the deployment's models (metered like any LLM call) and a budget. */
export interface OptimizerContext {
  models: ModelRegistry;
  breakers: CircuitBreakers;
  prices: Prices;
  /** Credits the optimizer may spend proposing; it stops (returning what it has) before exceeding them. */
  budgetCredits: number;
  /** The model to think with (reflect, rewrite, synthesise); default the deployment's default model. */
  model?: string;
  /** The tools the deployment offers (strategy evolution lets a step call those its failures ask for). */
  tools?: McpToolDescriptor[];
  /** Cancels the optimizer's model calls. */
  signal?: AbortSignal;
}

/**
 * One way of making a routine better. Each optimizer is its own module: it reads the evidence and
 * proposes whole candidate definitions; it never registers, evaluates or promotes anything (the
 * improvement loop does). An optimizer with nothing to propose returns no candidates and says why
 * in no error: "nothing to do" is a normal answer.
 */
export interface Optimizer {
  readonly name: OptimizerName;
  propose(evidence: ImprovementEvidence, context: OptimizerContext): Promise<OptimizerResult>;
}
