import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { workflowsPath } from '../../workers/workflow-bundle.ts';
import type { CaseContext } from '../case-context.ts';
import { measureCreation } from '../creation/process.ts';
import type { CreationCost } from '../creation/spec.ts';
import type { BenchPlan } from '../plan.ts';
import { type CaseRow, row } from '../results.ts';

/**
 * Case 6: what one workflow costs the worker thread to create and keep cached, which bounds how
 * many executions a worker holds. Swarmflow's run workflow against the hand-written floor, and
 * Swarmflow's bundle against the same workflows with every module evaluated again per workflow
 * (the SDK's default without `preloadModules`, and Swarmflow's before it preloaded them).
 */
export async function creationCase(
  { env, log }: CaseContext,
  plan: BenchPlan['creation'],
): Promise<CaseRow[]> {
  const { count } = plan;
  log(`case 6: creating ${count} workflows of each bundle in a reusable V8 context`);
  const floor = await measureCreation({
    bundlePath: env.bundles.baseline,
    workflowType: 'heldWorkflow',
    count,
  });
  const shared = await measureCreation({
    bundlePath: env.bundles.swarmflow,
    workflowType: 'runWorkflow',
    count,
  });
  const perWorkflow = await withUnsharedBundle((bundlePath) =>
    measureCreation({ bundlePath, workflowType: 'runWorkflow', count }),
  );
  return [
    ...costRows('6 workflow creation: Swarmflow run vs hand-written', shared, floor),
    ...costRows('6 workflow creation: modules shared vs evaluated per workflow', shared, perWorkflow),
  ];
}

function costRows(name: string, swarmflow: CreationCost, baseline: CreationCost): CaseRow[] {
  return [
    row(name, 'heap per cached workflow', swarmflow.heapKiB, baseline.heapKiB, 'KiB'),
    row(name, 'CPU time to create one', swarmflow.cpuMs, baseline.cpuMs, 'ms'),
  ];
}

async function withUnsharedBundle<T>(measure: (bundlePath: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'swarmflow-bench-unshared-'));
  try {
    const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
    const bundlePath = join(dir, 'unshared-bundle.js');
    await writeFile(bundlePath, code);
    return await measure(bundlePath);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
