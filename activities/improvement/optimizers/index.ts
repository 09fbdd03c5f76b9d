import type { Optimizer } from '../optimizer.ts';
import { deterministic } from './deterministic.ts';
import { fewShot } from './few-shot.ts';
import { reflectivePrompt } from './reflective-prompt.ts';
import { strategyEvolution } from './strategy-evolution.ts';

export { type CombinationSources, combinationOptimizer } from './combination.ts';
export { deterministic } from './deterministic.ts';
export { fewShot } from './few-shot.ts';
export { generationOptimizer } from './generation.ts';
export { paretoFront } from './pareto-front.ts';
export { reflectivePrompt } from './reflective-prompt.ts';
export { strategyEvolution } from './strategy-evolution.ts';

/** The LLM-side optimizers with their default options, for the optimizer registry. */
export const llmOptimizers: readonly Optimizer[] = [
  reflectivePrompt(),
  fewShot(),
  strategyEvolution(),
  deterministic(),
];
