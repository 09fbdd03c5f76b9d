import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { CreationCost, CreationSpec } from './spec.ts';

const entry = fileURLToPath(new URL('./measure.ts', import.meta.url));

/** Measures in a fresh process, so that no other bundle or earlier round shares its heap. */
export async function measureCreation(spec: CreationSpec): Promise<CreationCost> {
  const child = fork(entry, [JSON.stringify(spec)], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let cost: CreationCost | undefined;
  child.on('message', (message: CreationCost) => {
    cost = message;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (cost === undefined) throw new Error(`measuring ${spec.workflowType} failed (exit code ${code})`);
  return cost;
}
