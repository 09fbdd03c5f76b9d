import { condition, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { BroadcastSignalRequest } from '../../../schema/messages.ts';
import { SearchAttributes } from '../../../schema/search-attributes.ts';
import { deliverSignalSignal } from '../../../workflows/definitions.ts';

/** Stands in for a run at a signal catch event: advertises the name it waits for, returns what reached it. */
export async function signalWaiterWorkflow(
  name: string,
  tenantId: string,
): Promise<BroadcastSignalRequest[]> {
  const received: BroadcastSignalRequest[] = [];
  setHandler(deliverSignalSignal, (signal) => void received.push(signal));
  upsertSearchAttributes([
    { key: SearchAttributes.tenant, value: tenantId },
    { key: SearchAttributes.waitingSignals, value: [name] },
  ]);
  await condition(() => received.length > 0);
  return received;
}
