import type { EventDefinition } from 'bpmn-moddle';
import type { TimerDefinition } from '../../schema/graph.ts';
import { parseTimer, type TimerType } from '../../workflows/navigator/timers.ts';
import type { Report } from '../errors.ts';
import { checkedFeel } from '../feel.ts';
import { feelString } from './expressions.ts';

export type { TimerType };

const FIELDS = { duration: 'timeDuration', date: 'timeDate', cycle: 'timeCycle' } as const;
const TYPES = Object.keys(FIELDS) as TimerType[];

/**
 * A timer event definition: exactly one of timeDuration, timeDate or timeCycle, of a type the
 * event allows. A static value must parse now (a static PT5M becomes the FEEL string "PT5M");
 * an `=` expression is evaluated when the timer starts.
 */
export function compileTimer(
  definition: EventDefinition,
  allowed: readonly TimerType[],
  report: Report,
): TimerDefinition | undefined {
  const given = TYPES.filter((type) => definition[FIELDS[type]] !== undefined);
  const [type] = given;
  if (type === undefined || given.length > 1) {
    report('its timer needs exactly one of timeDuration, timeDate or timeCycle');
    return undefined;
  }
  const field = FIELDS[type];
  if (!allowed.includes(type)) {
    report(`a ${field} timer is not allowed here; use ${allowed.map((t) => FIELDS[t]).join(' or ')}`);
    return undefined;
  }
  const text = definition[field]?.body?.trim();
  if (!text) {
    report(`its ${field} is empty`);
    return undefined;
  }
  if (text.startsWith('=')) {
    return { kind: 'timer', type, expression: checkedFeel(text.slice(1).trim(), field, report) };
  }
  try {
    parseTimer(type, text);
  } catch (error) {
    report(`${field}: ${(error as Error).message}`);
    return undefined;
  }
  return { kind: 'timer', type, expression: feelString(text) };
}
