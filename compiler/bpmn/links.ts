import type { FlowElement } from '../../schema/graph.ts';
import { type CompileProblem, reporter } from '../errors.ts';

/**
 * Link events jump within their scope: each link throw event needs the one link catch event
 * of its scope with the same name.
 */
export function checkLinks(elements: readonly FlowElement[], problems: CompileProblem[]): void {
  const catches = new Map<string, FlowElement[]>();
  for (const element of elements) {
    if (element.kind !== 'intermediateCatchEvent' || element.trigger.kind !== 'link') continue;
    const key = linkKey(element.scope, element.trigger.name);
    catches.set(key, [...(catches.get(key) ?? []), element]);
    if ((catches.get(key)?.length ?? 0) > 1) {
      reporter(problems, { id: element.id, type: 'bpmn:IntermediateCatchEvent' })(
        `another link catch event in the same scope is named "${element.trigger.name}"`,
      );
    }
  }
  for (const element of elements) {
    if (element.kind !== 'intermediateThrowEvent' || element.result?.kind !== 'link') continue;
    if (!catches.has(linkKey(element.scope, element.result.name))) {
      reporter(problems, { id: element.id, type: 'bpmn:IntermediateThrowEvent' })(
        `no link catch event in the same scope is named "${element.result.name}"`,
      );
    }
  }
}

function linkKey(scope: string, name: string): string {
  return JSON.stringify([scope, name]);
}
