import type { BundleOptions } from '@temporalio/worker';
import { moduleFile } from '../schema/module-file.ts';

export const workflowsPath = moduleFile(import.meta.url, '../workflows/index');
/** The workflows with their Worker Versioning behaviours, for versioned workers only (see workflows/versioned-index.ts). */
export const versionedWorkflowsPath = moduleFile(import.meta.url, '../workflows/versioned-index');
const preloadPath = moduleFile(import.meta.url, '../workflows/preload');
/** Traces a workflow whose start carries a trace context (workflows/tracing-interceptors.ts). */
const tracingInterceptorsPath = moduleFile(import.meta.url, '../workflows/tracing-interceptors');
/** Workflow interceptor modules of every bundle: the log attributes (tenant) of workflow log lines. */
export const workflowInterceptorModules = [moduleFile(import.meta.url, '../workflows/log-attributes')];

/**
 * How every Swarmflow workflow bundle is built, by a worker or ahead of it: the workflows, with
 * their modules loaded once per worker thread and shared by every workflow (workflows/preload.ts),
 * and the workflow interceptors (tracing).
 */
export const workflowBundleOptions = {
  workflowsPath,
  // The tracing interceptors are stateless: shared too, so an untraced workflow costs one small object.
  preloadModules: [preloadPath, tracingInterceptorsPath],
  workflowInterceptorModules: [...workflowInterceptorModules, tracingInterceptorsPath],
} satisfies Pick<BundleOptions, 'workflowsPath' | 'preloadModules' | 'workflowInterceptorModules'>;

/** The bundle options of a versioned worker: the same, with the versioning behaviours set. */
export const versionedWorkflowBundleOptions = {
  ...workflowBundleOptions,
  workflowsPath: versionedWorkflowsPath,
} satisfies Pick<BundleOptions, 'workflowsPath' | 'preloadModules' | 'workflowInterceptorModules'>;
