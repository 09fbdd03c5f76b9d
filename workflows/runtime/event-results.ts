import type { ElementOfKind } from '../../schema/graph.ts';
import { bookkeeping } from '../effects.ts';
import { RunIncident } from '../navigator/incident.ts';
import { evaluateInputs } from '../navigator/mappings.ts';
import { runDeterministicStep } from './deterministic-step.ts';
import { BpmnError } from './errors.ts';
import type { ScopeInstance } from './scope-instance.ts';
import { text } from './triggers.ts';

type ThrowingEvent = ElementOfKind<'intermediateThrowEvent' | 'endEvent'>;

/**
 * What a throw or end event does (terminate, error, escalation, signal, message, link) and the
 * flows its token takes afterwards (none for an end event or a link jump).
 */
export async function throwEventResult(scope: ScopeInstance, event: ThrowingEvent): Promise<string[]> {
  const after = event.kind === 'endEvent' ? [] : event.outgoing;
  const locals = evaluateInputs(event.id, event.inputs, scope.variables.view());
  const context = { ...scope.variables.view(), ...locals };
  if (event.work) {
    const { run } = scope;
    const result = await runDeterministicStep(
      run,
      { id: event.id, bpmnType: event.kind, work: event.work },
      run.nextKey(event.id),
      context,
    );
    scope.applyPayload(event, result);
    return after;
  }
  const { result } = event;
  switch (result?.kind) {
    case undefined:
      return after;
    case 'terminate':
      scope.terminate();
      return [];
    case 'error':
      throwBpmnError(scope, event, result.code, locals);
      return [];
    case 'escalation':
      return scope.escalate(result.code ?? '', locals) === 'interrupted' ? [] : after;
    case 'signal':
      await bookkeeping.broadcastSignal(
        { name: text(event.id, result.name, context), variables: locals },
        scope.run.scope.routine.tenantId,
      );
      return after;
    case 'message': {
      const { correlationKey, ...variables } = locals;
      if (correlationKey === undefined || correlationKey === null || correlationKey === '') {
        throw new RunIncident(event.id, 'a message throw event needs an input mapping to "correlationKey"');
      }
      const name = text(event.id, result.name, context);
      await bookkeeping.publishMessage({ name, correlationKey: String(correlationKey), variables });
      return after;
    }
    case 'link':
      jumpToLink(scope, event, result.name);
      return [];
    default:
      throw new RunIncident(event.id, `a ${result?.kind} event definition cannot be thrown`);
  }
}

function throwBpmnError(
  scope: ScopeInstance,
  event: ThrowingEvent,
  code: string | undefined,
  locals: object,
): never {
  if (code === undefined) throw new RunIncident(event.id, 'the error end event has no error code');
  if (!scope.canCatchError(code)) {
    throw new RunIncident(event.id, `no boundary event or event sub-process catches error "${code}"`);
  }
  throw new BpmnError(code, event.id, locals as Record<string, never>);
}

function jumpToLink(scope: ScopeInstance, event: ThrowingEvent, name: string): void {
  const target = Object.values(scope.run.graph.elements).find(
    (element) =>
      element.kind === 'intermediateCatchEvent' &&
      element.scope === event.scope &&
      element.trigger.kind === 'link' &&
      element.trigger.name === name,
  );
  if (!target) throw new RunIncident(event.id, `no link catch event named "${name}" in this scope`);
  scope.jumpAfter(event.id, target.id);
}
