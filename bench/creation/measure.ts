import { readFile } from 'node:fs/promises';
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm.js';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { CreationCost, CreationSpec } from './spec.ts';

// Run with --expose-gc in a process of its own: creates `count` workflows of one bundle the way a
// worker thread does (the SDK's reusable V8 context), keeps them as the workflow cache would, and
// reports the heap and the time each cost. No server: creating a workflow needs none.

const spec = JSON.parse(process.argv[2] ?? '{}') as CreationSpec;
const collectGarbage = (globalThis as { gc?: () => void }).gc;
if (!collectGarbage) throw new Error('run with --expose-gc');

const code = await readFile(spec.bundlePath, 'utf8');
const emptySourceMap = { version: 3, sources: [], names: [], mappings: '' };
const creator = await ReusableVMWorkflowCreator.create(
  { code, filename: spec.bundlePath, sourceMap: emptySourceMap } as never,
  5_000,
  new Set(),
);
const heapUsed = () => {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

const before = heapUsed();
const started = process.cpuUsage();
const workflows = [];
for (let index = 0; index < spec.count; index++) {
  workflows.push(
    await creator.createWorkflow({
      info: info(index),
      randomnessSeed: [index],
      now: 0,
      showStackTraceSources: false,
    }),
  );
}
const cpu = process.cpuUsage(started);
const cost: CreationCost = {
  heapKiB: (heapUsed() - before) / 1024 / spec.count,
  cpuMs: (cpu.user + cpu.system) / 1000 / spec.count,
};
process.send?.(cost);
await Promise.all(workflows.map((workflow) => workflow.dispose()));
await creator.destroy();

function info(index: number): WorkflowInfo {
  const runId = `run-${index}`;
  return {
    workflowId: `workflow-${index}`,
    runId,
    firstExecutionRunId: runId,
    workflowType: spec.workflowType,
    taskQueue: 'bench',
    namespace: 'default',
    attempt: 1,
    historyLength: 0,
    historySize: 0,
    continueAsNewSuggested: false,
    startTime: new Date(0),
    runStartTime: new Date(0),
    searchAttributes: {},
    typedSearchAttributes: [],
    memo: {},
    unsafe: { isReplaying: false, now: () => 0 },
  } as unknown as WorkflowInfo;
}
