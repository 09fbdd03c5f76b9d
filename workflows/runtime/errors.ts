import { ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { ElementOfKind } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { isRunFailure, rootMessage } from '../failures.ts';

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

/** The code of a BPMN error that left a child workflow uncaught, found in its failure chain. */
export function bpmnErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  while (current instanceof Error) {
    if (current instanceof ApplicationFailure && current.type === BPMN_ERROR) {
      return (current.details?.[0] as { code?: string } | undefined)?.code;
    }
    current = current.cause;
  }
  return undefined;
}

/** How a branch or multi-instance chunk workflow ends on an error: a BPMN error keeps its code for the parent. */
export function toChildFailure(error: unknown): unknown {
  if (error instanceof BpmnError) {
    return ApplicationFailure.create({
      type: BPMN_ERROR,
      message: error.message,
      nonRetryable: true,
      details: [{ code: error.code }],
    });
  }
  if (isRunFailure(error)) return ApplicationFailure.nonRetryable(rootMessage(error), 'RunIncident');
  return error;
}

/** What a parent makes of a child workflow's failure: the BPMN error it carried, or a failure naming the cause. */
export function fromChildFailure(error: unknown, elementId: string): unknown {
  if (isCancellation(error)) return error;
  const code = bpmnErrorCode(error);
  if (code !== undefined) return new BpmnError(code, elementId);
  return ApplicationFailure.nonRetryable(rootMessage(error), 'RunIncident');
}
