import type { Variables } from '../../schema/json.ts';
import type { ElementOfKind } from '../../schema/graph.ts';

/** A BPMN error thrown by an error end event, unwinding scopes until a boundary or event sub-process catches it. */
export class BpmnError extends Error {
  override readonly name = 'BpmnError';
  constructor(
    readonly code: string,
    readonly elementId: string,
    readonly variables: Variables = {},
  ) {
    super(`BPMN error "${code}" thrown by ${elementId}`);
  }
}

/** An activity left through one of its boundary events; the token goes on from that event. */
export class ActivityInterrupted extends Error {
  override readonly name = 'ActivityInterrupted';
  constructor(
    readonly boundary: ElementOfKind<'boundaryEvent'>,
    readonly payload: Variables,
  ) {
    super(`interrupted by boundary event ${boundary.id}`);
  }
}

/** A run went past one of its limits; not resolvable by changing variables, so the run fails. */
export class RunLimitExceeded extends Error {
  override readonly name = 'RunLimitExceeded';
}

/** The failure type a called process or branch ends with when a BPMN error leaves it uncaught. */
export const BPMN_ERROR = 'SwarmflowBpmnError';

/** The run's history grew long while one token sat between elements: the run continues as new from there. */
export class ContinueAsNewRequested extends Error {
  override readonly name = 'ContinueAsNewRequested';
  constructor(
    readonly elementId: string,
    readonly viaFlow: string | undefined,
  ) {
    super(`continue as new at ${elementId}`);
  }
}
