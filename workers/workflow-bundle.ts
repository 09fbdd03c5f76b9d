import type { BundleOptions } from '@temporalio/worker';
import { moduleFile } from '../schema/module-file.ts';

export const workflowsPath = moduleFile(import.meta.url, '../workflows/index');
const preloadPath = moduleFile(import.meta.url, '../workflows/preload');
/** Workflow interceptor modules of every bundle: the log attributes (tenant) of workflow log lines. */
export const workflowInterceptorModules = [moduleFile(import.meta.url, '../workflows/log-attributes')];

/**
 * How every Swarmflow workflow bundle is built, by a worker or ahead of it: the workflows, with
 * their modules loaded once per worker thread and shared by every workflow (workflows/preload.ts).
 */
export const workflowBundleOptions = {
  workflowsPath,
  preloadModules: [preloadPath],
  workflowInterceptorModules,
} satisfies Pick<BundleOptions, 'workflowsPath' | 'preloadModules' | 'workflowInterceptorModules'>;
