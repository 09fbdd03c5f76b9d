import { CancellationScope } from '@temporalio/workflow';
import type { ElementOfKind } from '../../schema/graph.ts';
import { RunIncident } from '../navigator/incident.ts';
import type { ScopeInstance } from './scope-instance.ts';
import { awaitTrigger, type CatchTrigger, isCatchTrigger } from './triggers.ts';

/**
 * An event-based gateway: waits on every event after it; the first to happen wins, the others
 * stop waiting, and the token goes on through the winner with its payload.
 */
export async function raceEventGateway(scope: ScopeInstance, gateway: ElementOfKind<'eventBasedGateway'>) {
  const { run } = scope;
  const candidates = gateway.outgoing.map((flowId) => {
    const target = scope.element(scope.flowTarget(flowId));
    return { flowId, target, trigger: triggerOf(gateway.id, target) };
  });
  const race = new CancellationScope();
  const winner = await race.run(() =>
    Promise.race(
      candidates.map(async (candidate) => ({
        ...candidate,
        payload: await awaitTrigger(
          run,
          candidate.target.id,
          candidate.trigger,
          scope.variables.view(),
          run.nextKey(candidate.target.id),
        ),
      })),
    ),
  );
  race.cancel();
  scope.spawn(() => scope.walkFrom(winner.target.id, winner.flowId, winner.payload));
}

function triggerOf(gatewayId: string, target: ReturnType<ScopeInstance['element']>): CatchTrigger {
  const trigger =
    target.kind === 'receiveTask' ? target.message : 'trigger' in target ? target.trigger : undefined;
  if (!isCatchTrigger(trigger)) {
    throw new RunIncident(
      gatewayId,
      `${target.id} after an event-based gateway must wait for a timer, message or signal`,
    );
  }
  return trigger;
}
