import { z } from 'zod';

/** The optimizers, each its own module behind the Optimizer interface (activities/improvement/optimizer.ts). */
export const OptimizerName = z.enum([
  'reflectivePrompt',
  'fewShot',
  'strategyEvolution',
  'deterministic',
  'modelSelection',
  'generation',
  'combination',
]);
export type OptimizerName = z.infer<typeof OptimizerName>;
