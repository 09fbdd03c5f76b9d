import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, NativeConnection } from '@temporalio/worker';
import { loadTemporalConnectionOptions } from '../../../activities/config/temporal-connection.ts';
import type { Tier3Dependencies } from '../../../activities/tier3/index.ts';
import { createSwarmflowWorker } from '../../../workers/worker.ts';
import type { TestStack } from '../stack.ts';

const testWorkflowsPath = fileURLToPath(new URL('./index.ts', import.meta.url));

/** A worker on the stack's task queue running the mailbox and the messaging test doubles; stop it before the stack. */
export async function startMessagingWorker(
  stack: TestStack,
  options: { tier3?: Tier3Dependencies } = {},
): Promise<{ stop(): Promise<void> }> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: testWorkflowsPath,
    logger: new DefaultLogger('WARN'),
  });
  const connection = await NativeConnection.connect(await loadTemporalConnectionOptions(stack.config));
  const worker = await createSwarmflowWorker({
    connection,
    namespace: stack.config.temporalNamespace,
    taskQueue: stack.config.taskQueue,
    db: stack.client.db,
    workflowBundle: { code },
    dataConverter: stack.dataConverter,
    ...(options.tier3 ? { tier3: options.tier3 } : {}),
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
