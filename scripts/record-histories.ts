/**
 * Records the event histories the replay test runs: starts a throwaway stack, runs each sample
 * routine, and writes each workflow's history (children included) to test/histories/.
 * Run it when a workflow change is released: `node --import tsx scripts/record-histories.ts`.
 */
import { writeFile } from 'node:fs/promises';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { withEmbeddedStack } from '../client/embedded.ts';
import type { SwarmflowClient } from '../client/sdk.ts';
import { readRoutineFile } from '../client/routine-files.ts';
import type { Variables } from '../schema/json.ts';

const root = new URL('../', import.meta.url);
const samples: { name: string; file: string; input: Variables }[] = [
  { name: 'order-fulfilment', file: 'examples/order-fulfilment.bpmn', input: { quantity: 3, unitPrice: 42.5 } },
  { name: 'order-fulfilment-review', file: 'examples/order-fulfilment.bpmn', input: { quantity: 30, unitPrice: 42.5 } },
  { name: 'greeting-sequence', file: 'examples/greeting.sequence.json', input: { name: 'Ada' } },
];

async function record(client: SwarmflowClient): Promise<void> {
  for (const sample of samples) {
    const { id } = await client.registerRoutine(await readRoutineFile(new URL(sample.file, root).pathname));
    const { runId, workflowId } = await client.startRun({ routineId: id, input: sample.input, runId: sample.name });
    await client.awaitRun(runId);
    const ids = [workflowId];
    for await (const child of client.temporal.workflow.list({ query: `WorkflowId STARTS_WITH "${workflowId}/"` })) {
      ids.push(child.workflowId);
    }
    for (const [index, workflowIdToSave] of ids.entries()) {
      const history = await client.temporal.workflow.getHandle(workflowIdToSave).fetchHistory();
      const file = new URL(`test/histories/${sample.name}${index === 0 ? '' : `.child-${index}`}.json`, root);
      await writeFile(file, historyToJSON(history));
      process.stdout.write(`recorded ${workflowIdToSave} -> ${file.pathname}\n`);
    }
  }
}

await withEmbeddedStack(record);
