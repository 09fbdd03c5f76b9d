import { z } from 'zod';
import { OptimizerName } from './optimizer-name.ts';

/** A routine version's place in its life cycle. */
export const VersionStatus = z.enum(['draft', 'candidate', 'active', 'retired']);
export type VersionStatus = z.infer<typeof VersionStatus>;

/** Where a proposed version came from: the optimizer, what it changed, the cycle, its evidence and evals. */
export const VersionLineage = z.object({
  optimizer: OptimizerName,
  change: z.string(),
  cycleId: z.string(),
  /** The runs and eval the optimizer read. */
  evidence: z.object({ runIds: z.array(z.string()), evalIds: z.array(z.string()) }),
  /** The eval runs that measured this version against its parent, once run. */
  evalIds: z.array(z.string()),
});
export type VersionLineage = z.infer<typeof VersionLineage>;
