import { z } from 'zod';
import { parseInput } from './validation.ts';

/**
 * A Worker Deployment's name: Temporal joins it to a build id with a dot (`name.buildId`) in its
 * canonical version strings, so it may hold no dot.
 */
const DeploymentName = z
  .string()
  .trim()
  .min(1, 'give the Worker Deployment a name, e.g. --deployment-name swarmflow')
  .max(255, 'use at most 255 characters')
  .regex(/^[^.\s]+$/, 'use no dots or spaces (Temporal writes a version as <deployment name>.<build id>)');

/** The code a worker runs; `__unversioned__` is Temporal's own name for unversioned workers. */
const BuildId = z
  .string()
  .trim()
  .min(1, 'give a build id, or leave it out to have one derived from the package version and workflow code')
  .max(255, 'use at most 255 characters')
  .regex(/^\S+$/, 'use no spaces')
  .refine(
    (id) => id !== '__unversioned__',
    'choose another build id: __unversioned__ is reserved by Temporal',
  );

/**
 * How a worker takes part in Worker Versioning (Temporal Worker Deployments): unset, it is
 * unversioned (it takes every task of its task queue); with a deployment name, it polls as the
 * version `deploymentName` + `buildId`, and gets only the tasks Temporal routes to that version.
 * Without a build id, the worker derives one from the package version and the workflow code.
 */
export const WorkerVersioningRequest = z
  .object({
    deploymentName: DeploymentName.optional(),
    buildId: BuildId.optional(),
  })
  .refine((request) => request.buildId === undefined || request.deploymentName !== undefined, {
    path: ['deploymentName'],
    message:
      'a build id needs a deployment name: add --deployment-name (or SWARMFLOW_DEPLOYMENT_NAME), or drop the build id to run unversioned',
  });
export type WorkerVersioningRequest = z.infer<typeof WorkerVersioningRequest>;

/** The version a versioned worker polls as. */
export interface WorkerDeploymentVersion {
  deploymentName: string;
  buildId: string;
}

/** Options given on the command line win over the environment (`SWARMFLOW_DEPLOYMENT_NAME`, `SWARMFLOW_BUILD_ID`). */
export interface WorkerVersioningFlags {
  deploymentName?: string;
  buildId?: string;
}

/**
 * The worker's versioning request from its flags, else from the environment; empty values count as unset.
 * @throws ValidationError naming the bad setting and how to fix it.
 */
export function loadWorkerVersioning(
  flags: WorkerVersioningFlags = {},
  env: NodeJS.ProcessEnv = process.env,
): WorkerVersioningRequest {
  return parseInput(
    WorkerVersioningRequest,
    {
      deploymentName: flags.deploymentName || env.SWARMFLOW_DEPLOYMENT_NAME || undefined,
      buildId: flags.buildId || env.SWARMFLOW_BUILD_ID || undefined,
    },
    'worker versioning',
  );
}
