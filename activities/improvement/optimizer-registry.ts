import type { OptimizerName } from '../../schema/improvement.ts';
import { modelSelection } from './model-selection.ts';
import type { Optimizer } from './optimizer.ts';
import { generationOptimizer, llmOptimizers } from './optimizers/index.ts';

/**
 * Every optimizer a worker offers that needs nothing but the evidence and the models, each its own
 * module; a new one is one more entry. (Combination also reads the tenant's other routines: the
 * improvement activities add it with the database.) A cycle asks only those its routine's
 * `improvement.optimizers` names, by default modelSelection.
 */
export const optimizers: readonly Optimizer[] = [modelSelection, ...llmOptimizers, generationOptimizer()];

/** The optimizers by name, to look up those a cycle asks for. */
export class OptimizerRegistry {
  private readonly byName: ReadonlyMap<OptimizerName, Optimizer>;

  constructor(available: readonly Optimizer[] = optimizers) {
    this.byName = new Map(available.map((optimizer) => [optimizer.name, optimizer]));
  }

  get(name: OptimizerName): Optimizer | undefined {
    return this.byName.get(name);
  }

  names(): OptimizerName[] {
    return [...this.byName.keys()];
  }
}
