import { bundleWorkflowCode, DefaultLogger, type WorkerOptions } from '@temporalio/worker';
import type { WorkerDeploymentVersion, WorkerVersioningRequest } from '../schema/worker-versioning.ts';
import { resolveDeploymentVersion, swarmflowPackageVersion } from './versioning.ts';
import { versionedWorkflowBundleOptions } from './workflow-bundle.ts';

export interface VersionedWorkerSetup {
  /** The version the worker polls as; none for an unversioned worker. */
  deploymentVersion?: WorkerDeploymentVersion;
  /** The bundle the derived build id was computed from, for the worker to run (so it is not bundled twice). */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/**
 * What a worker needs for `request`: nothing when unversioned; the version when the build id is
 * given; else the workflow bundle, built here once, and a build id derived from it and the package version.
 */
export async function prepareVersioning(request: WorkerVersioningRequest): Promise<VersionedWorkerSetup> {
  if (request.deploymentName === undefined) return {};
  if (request.buildId !== undefined) {
    return { deploymentVersion: { deploymentName: request.deploymentName, buildId: request.buildId } };
  }
  const { code } = await bundleWorkflowCode({
    ...versionedWorkflowBundleOptions,
    logger: new DefaultLogger('WARN'),
  });
  const deploymentVersion = resolveDeploymentVersion(request, await swarmflowPackageVersion(), () => code);
  return { deploymentVersion, workflowBundle: { code } };
}
