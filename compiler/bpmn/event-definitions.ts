import type { FlowNode, EventDefinition as ModdleDefinition, ModdleElement } from 'bpmn-moddle';
import type { EventDefinition } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import { zeebeValue } from './expressions.ts';
import { compileMessage } from './messages.ts';
import { compileTimer, type TimerType } from './timers.ts';

/** Where an event sits, which decides the definitions it may have. */
export type EventPosition =
  | 'processStart'
  | 'subProcessStart'
  | 'eventSubProcessStart'
  | 'intermediateCatch'
  | 'interruptingBoundary'
  | 'nonInterruptingBoundary'
  | 'intermediateThrow'
  | 'end';

type DefinitionKind = EventDefinition['kind'];

interface PositionRule {
  /** how problems name events in this position */
  readonly events: string;
  readonly kinds: readonly DefinitionKind[];
  /** for timers, which of timeDuration, timeDate and timeCycle */
  readonly timers: readonly TimerType[];
}

const ANY_TIMER: readonly TimerType[] = ['duration', 'date', 'cycle'];

/** The definitions each position supports, as Zeebe does and the issue lists them. */
const POSITIONS: Readonly<Record<EventPosition, PositionRule>> = {
  processStart: { events: 'start events', kinds: ['timer', 'message'], timers: ['date', 'cycle'] },
  subProcessStart: { events: 'start events in a sub-process', kinds: [], timers: [] },
  eventSubProcessStart: {
    events: 'start events of an event sub-process',
    kinds: ['timer', 'message', 'signal', 'error', 'escalation'],
    timers: ANY_TIMER,
  },
  intermediateCatch: {
    events: 'intermediate catch events',
    kinds: ['timer', 'message', 'signal', 'link'],
    timers: ANY_TIMER,
  },
  interruptingBoundary: {
    events: 'boundary events',
    kinds: ['timer', 'message', 'signal', 'error', 'escalation'],
    timers: ['duration', 'date'],
  },
  nonInterruptingBoundary: {
    events: 'boundary events',
    kinds: ['timer', 'message', 'signal', 'escalation'],
    timers: ANY_TIMER,
  },
  intermediateThrow: {
    events: 'intermediate throw events',
    kinds: ['message', 'signal', 'escalation', 'link'],
    timers: [],
  },
  end: { events: 'end events', kinds: ['message', 'signal', 'error', 'escalation', 'terminate'], timers: [] },
};

/** How the definitions BPMN names read in problems. */
const LABELS: Readonly<Record<string, string>> = { compensate: 'compensation' };

/** An event's definitions, inline or by reference. */
export function definitionsOf(node: FlowNode): ModdleDefinition[] {
  return [...(node.eventDefinitions ?? []), ...(node.eventDefinitionRef ?? [])];
}

/** "timer", "message", "compensate"...: a definition's type without its prefix and suffix. */
export function definitionKind(definition: ModdleElement): string {
  return definition.$type.replace(/^bpmn:(\w+)EventDefinition$/, '$1').toLowerCase();
}

/**
 * The event's definition compiled for its position: `{}` for a none event, undefined after a
 * problem. Throwing positions give what the event throws, catching ones what it waits for.
 */
export function compileEventDefinition(
  node: FlowNode,
  position: EventPosition,
  report: Report,
): { definition?: EventDefinition } | undefined {
  const definitions = definitionsOf(node);
  const [definition] = definitions;
  if (!definition) return {};
  if (definitions.length > 1) {
    report(
      `events with several definitions (${definitions.map(definitionKind).join(' + ')}) are not supported`,
    );
    return undefined;
  }
  const kind = definitionKind(definition);
  const rule = POSITIONS[position];
  if (!isSupported(kind, rule)) {
    report(`${LABELS[kind] ?? kind} ${rule.events} are not supported`);
    return undefined;
  }
  const compiled = compileSupported(definition, kind, position, rule.timers, report);
  return compiled && { definition: compiled };
}

function isSupported(kind: string, rule: PositionRule): kind is DefinitionKind {
  return (rule.kinds as readonly string[]).includes(kind);
}

function compileSupported(
  definition: ModdleDefinition,
  kind: DefinitionKind,
  position: EventPosition,
  timerTypes: readonly TimerType[],
  report: Report,
): EventDefinition | undefined {
  const throwing = position === 'intermediateThrow' || position === 'end';
  switch (kind) {
    case 'timer':
      return compileTimer(definition, timerTypes, report);
    case 'message':
      // Process start events match by name alone; throw events publish with a mapped correlationKey.
      return compileMessage(definition.messageRef, position !== 'processStart' && !throwing, report);
    case 'signal':
      return compileSignal(definition, report);
    case 'error':
      return compileCode(definition.errorRef, 'error', 'errorCode', throwing, report);
    case 'escalation':
      return compileCode(definition.escalationRef, 'escalation', 'escalationCode', throwing, report);
    case 'link':
      return compileLink(definition, report);
    case 'terminate':
      return { kind: 'terminate' };
  }
}

function compileSignal(definition: ModdleDefinition, report: Report): EventDefinition | undefined {
  const signal = definition.signalRef;
  const name = signal?.name;
  if (!signal) report('its signal event definition needs a signalRef');
  else if (!name?.trim()) report(`signal "${signal.id}" has no name`);
  return name?.trim() ? { kind: 'signal', name: zeebeValue(name, 'signal name', report) } : undefined;
}

/**
 * An error or escalation by its code. A thrown one needs a code; a caught one without a code
 * catches them all. Codes are static, as Zeebe requires for catching.
 */
function compileCode(
  reference: (ModdleElement & { errorCode?: string; escalationCode?: string }) | undefined,
  kind: 'error' | 'escalation',
  attribute: 'errorCode' | 'escalationCode',
  throwing: boolean,
  report: Report,
): EventDefinition | undefined {
  const code = reference?.[attribute]?.trim();
  if (!code) {
    if (!throwing) return { kind };
    report(
      reference
        ? `${kind} "${reference.id}" needs an ${attribute}`
        : `its ${kind} event definition needs an ${kind}Ref with an ${attribute}`,
    );
    return undefined;
  }
  if (code.startsWith('=')) {
    report(`${attribute} "${code}" is an expression, which is not supported yet`);
    return undefined;
  }
  return { kind, code };
}

function compileLink(definition: ModdleDefinition, report: Report): EventDefinition | undefined {
  const name = definition.name?.trim();
  if (!name) report('its link event definition has no name');
  return name ? { kind: 'link', name } : undefined;
}
