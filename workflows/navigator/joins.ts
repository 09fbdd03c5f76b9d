import type { FlowElement } from '../../schema/graph.ts';

/**
 * Token counting at converging parallel gateways, as Zeebe does it: the gateway fires once a
 * token has arrived on every incoming flow; a second token on the same flow waits for the next firing.
 */
export class JoinCounter {
  private readonly arrivals = new Map<string, Map<string, number>>();

  /** Records a token arriving at `gateway` over `flowId`; true when the gateway fires. */
  arrive(gateway: FlowElement, flowId: string): boolean {
    const counts = this.arrivals.get(gateway.id) ?? new Map<string, number>();
    this.arrivals.set(gateway.id, counts);
    counts.set(flowId, (counts.get(flowId) ?? 0) + 1);
    if (!gateway.incoming.every((incoming) => (counts.get(incoming) ?? 0) > 0)) return false;
    for (const incoming of gateway.incoming) counts.set(incoming, (counts.get(incoming) ?? 0) - 1);
    return true;
  }

  /** Whether a token waits at some join for its partners. */
  holdsTokens(): boolean {
    return [...this.arrivals.values()].some((counts) => [...counts.values()].some((count) => count > 0));
  }
}
