import { fileURLToPath } from 'node:url';
import type { BundleOptions } from '@temporalio/worker';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
const preloadPath = fileURLToPath(new URL('../workflows/preload.ts', import.meta.url));

/**
 * How every Swarmflow workflow bundle is built, by a worker or ahead of it: the workflows, with
 * their modules loaded once per worker thread and shared by every workflow (workflows/preload.ts).
 */
export const workflowBundleOptions = {
  workflowsPath,
  preloadModules: [preloadPath],
} satisfies Pick<BundleOptions, 'workflowsPath' | 'preloadModules'>;
