import type { CompiledRoutine } from '../../../schema/graph.ts';
import type { RoutineDefinition } from '../../../schema/routine.ts';

export function sequenceDefinition(
  id: string,
  overrides: Partial<RoutineDefinition> = {},
): RoutineDefinition {
  return { id, body: { kind: 'sequence', steps: [{ id: 'greet', type: 'echo' }] }, ...overrides };
}

/** A compiled graph with a start and an end; `marker` names its process so versions differ visibly. */
export function compiledRoutine(marker = 'main'): CompiledRoutine {
  const links = (incoming: string[], outgoing: string[]) => ({
    scope: marker,
    incoming,
    outgoing,
    inputs: [],
    outputs: [{ source: 'x', target: 'y' }],
  });
  return {
    defaultProcessId: marker,
    processes: {
      [marker]: {
        id: marker,
        startId: 'start',
        eventSubProcesses: [],
        elements: {
          start: { id: 'start', kind: 'startEvent', interrupting: true, ...links([], ['f1']) },
          end: { id: 'end', kind: 'endEvent', ...links(['f1'], []) },
        },
        flows: { f1: { id: 'f1', source: 'start', target: 'end' } },
        forks: {},
      },
    },
  };
}
