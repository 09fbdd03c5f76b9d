import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../schema/validation.ts';
import { loadWorkerVersioning } from '../../../schema/worker-versioning.ts';
import {
  derivedBuildId,
  describeVersioning,
  resolveDeploymentVersion,
  swarmflowPackageVersion,
  workerDeploymentOptions,
} from '../../../workers/versioning.ts';
import * as workflows from '../../../workflows/versioned-index.ts';
import { versioningBehaviors } from '../../../workflows/versioning-behaviors.ts';

describe('loadWorkerVersioning', () => {
  it('is unversioned with neither flags nor environment', () => {
    expect(loadWorkerVersioning({}, {})).toEqual({});
  });

  it('reads SWARMFLOW_DEPLOYMENT_NAME and SWARMFLOW_BUILD_ID; flags win; empty values count as unset', () => {
    const env = { SWARMFLOW_DEPLOYMENT_NAME: 'swarmflow', SWARMFLOW_BUILD_ID: '1.4.0' };
    expect(loadWorkerVersioning({}, env)).toEqual({ deploymentName: 'swarmflow', buildId: '1.4.0' });
    expect(loadWorkerVersioning({ buildId: '1.5.0' }, env)).toEqual({
      deploymentName: 'swarmflow',
      buildId: '1.5.0',
    });
    expect(
      loadWorkerVersioning({}, { SWARMFLOW_DEPLOYMENT_NAME: 'swarmflow', SWARMFLOW_BUILD_ID: '' }),
    ).toEqual({
      deploymentName: 'swarmflow',
    });
  });

  it('refuses a build id without a deployment name, saying what to add', () => {
    expect(() => loadWorkerVersioning({ buildId: 'v2' }, {})).toThrow(
      new ValidationError('worker versioning', [
        'deploymentName: a build id needs a deployment name: add --deployment-name (or SWARMFLOW_DEPLOYMENT_NAME), or drop the build id to run unversioned',
      ]),
    );
  });

  it('refuses a deployment name with a dot and the reserved build id', () => {
    const error = (() => {
      try {
        loadWorkerVersioning({ deploymentName: 'swarm.flow', buildId: '__unversioned__' }, {});
      } catch (caught) {
        return caught as ValidationError;
      }
    })();
    expect(error?.problems).toEqual([
      'deploymentName: use no dots or spaces (Temporal writes a version as <deployment name>.<build id>)',
      'buildId: choose another build id: __unversioned__ is reserved by Temporal',
    ]);
  });
});

describe('the worker options of a version', () => {
  it('leaves an unversioned worker as it was', () => {
    expect(workerDeploymentOptions(undefined)).toEqual({});
    expect(resolveDeploymentVersion({}, '0.1.0', () => 'code')).toBeUndefined();
  });

  it('turns Worker Versioning on, pinned for a workflow type that declares nothing', () => {
    expect(workerDeploymentOptions({ deploymentName: 'swarmflow', buildId: 'v2' })).toEqual({
      workerDeploymentOptions: {
        version: { deploymentName: 'swarmflow', buildId: 'v2' },
        useWorkerVersioning: true,
        defaultVersioningBehavior: 'PINNED',
      },
    });
    expect(describeVersioning({ deploymentName: 'swarmflow', buildId: 'v2' })).toBe(
      'worker versioning: deployment swarmflow, build id v2',
    );
  });

  it('derives a build id from the package version and the workflow code when none is given', async () => {
    const version = await swarmflowPackageVersion();
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    const derived = resolveDeploymentVersion({ deploymentName: 'swarmflow' }, version, () => 'bundle A');
    expect(derived).toEqual({ deploymentName: 'swarmflow', buildId: derivedBuildId(version, 'bundle A') });
    expect(derived?.buildId).toMatch(new RegExp(`^${version.replace(/\./g, '\\.')}-[0-9a-f]{12}$`));
    expect(derivedBuildId(version, 'bundle B')).not.toBe(derived?.buildId);
    expect(
      resolveDeploymentVersion({ deploymentName: 'swarmflow', buildId: 'v9' }, version, () => 'x'),
    ).toEqual({
      deploymentName: 'swarmflow',
      buildId: 'v9',
    });
  });
});

describe('the versioning behaviour of each workflow type', () => {
  it('is declared for every workflow the worker registers, as the table says', () => {
    const declared = Object.fromEntries(
      Object.entries(workflows).map(([name, fn]) => [
        name,
        (fn as { workflowDefinitionOptions?: { versioningBehavior?: string } }).workflowDefinitionOptions
          ?.versioningBehavior,
      ]),
    );
    expect(declared).toEqual(versioningBehaviors);
  });
});
