import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { VersioningBehavior } from '@temporalio/common';
import type { WorkerOptions } from '@temporalio/worker';
import type { WorkerDeploymentVersion, WorkerVersioningRequest } from '../schema/worker-versioning.ts';

/**
 * The behaviour of a workflow type that does not declare its own (every Swarmflow workflow does,
 * in workflows/versioning-behaviors.ts; test bundles may not): pinned, so that a version never
 * runs a history another version started.
 */
export const DEFAULT_VERSIONING_BEHAVIOR: VersioningBehavior = 'PINNED';

/**
 * The build id a worker gets when it is given none: the package version and the first 12 hex digits
 * of the SHA-256 of its workflow bundle, so that a release that changes workflow code is a new
 * version and one that does not (a dependency bump of activities only) is, too, by its version.
 */
export function derivedBuildId(packageVersion: string, workflowBundleCode: string): string {
  const digest = createHash('sha256').update(workflowBundleCode).digest('hex').slice(0, 12);
  return `${packageVersion}-${digest}`;
}

/** The version a worker polls as, or none when it runs unversioned. */
export function resolveDeploymentVersion(
  request: WorkerVersioningRequest,
  packageVersion: string,
  workflowBundleCode: () => string,
): WorkerDeploymentVersion | undefined {
  const { deploymentName, buildId } = request;
  if (deploymentName === undefined) return undefined;
  return { deploymentName, buildId: buildId ?? derivedBuildId(packageVersion, workflowBundleCode()) };
}

/** The worker options that make a worker poll as `version`; none for an unversioned worker. */
export function workerDeploymentOptions(
  version: WorkerDeploymentVersion | undefined,
): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  if (version === undefined) return {};
  return {
    workerDeploymentOptions: {
      version: { deploymentName: version.deploymentName, buildId: version.buildId },
      useWorkerVersioning: true,
      defaultVersioningBehavior: DEFAULT_VERSIONING_BEHAVIOR,
    },
  };
}

/** One line for the worker's log: which version it polls as, or that it is unversioned. */
export function describeVersioning(version: WorkerDeploymentVersion | undefined): string {
  if (version === undefined) return 'worker versioning: off (unversioned worker)';
  return `worker versioning: deployment ${version.deploymentName}, build id ${version.buildId}`;
}

/** Swarmflow's own version, from its package.json (next to the sources, or above dist/). */
export async function swarmflowPackageVersion(): Promise<string> {
  for (const candidate of ['../package.json', '../../package.json']) {
    const text = await readFile(new URL(candidate, import.meta.url), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const manifest = JSON.parse(text) as { name?: string; version?: string };
    if (manifest.name === 'swarmflow' && manifest.version) return manifest.version;
  }
  return '0.0.0';
}
