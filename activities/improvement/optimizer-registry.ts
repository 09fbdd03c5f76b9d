import type { OptimizerName } from '../../schema/improvement.ts';
import { modelSelection } from './model-selection.ts';
import type { Optimizer } from './optimizer.ts';

/** Every optimizer a worker offers, each its own module; a new one is one more entry. */
export const optimizers: readonly Optimizer[] = [modelSelection];

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
