import type { ModdleElement } from 'bpmn-moddle';
import type { Report } from '../errors.ts';

/** zeebe extension elements that only describe, and are allowed anywhere. */
const DESCRIPTIVE = new Set(['zeebe:Properties']);

/** `zeebe:IoMapping` as written in XML: `zeebe:ioMapping`. */
export function xmlName(type: string): string {
  return type.replace(/:(.)/, (_match, first: string) => `:${first.toLowerCase()}`);
}

function zeebeExtensions(element: ModdleElement): ModdleElement[] {
  return (element.extensionElements?.values ?? []).filter((value) => value.$type.startsWith('zeebe:'));
}

/**
 * Rejects zeebe extension elements that `element` cannot honour. Other vendors' extensions
 * are meant for other engines and are ignored, as Zeebe ignores them.
 */
export function checkExtensions(element: ModdleElement, allowed: readonly string[], report: Report): void {
  for (const extension of zeebeExtensions(element)) {
    if (!allowed.includes(extension.$type) && !DESCRIPTIVE.has(extension.$type)) {
      report(`${xmlName(extension.$type)} is not supported yet`);
    }
  }
}

/** The one extension element of `type`, if any; several are reported. */
export function findExtension<T extends ModdleElement>(
  element: ModdleElement,
  type: string,
  report: Report,
): T | undefined {
  const found = zeebeExtensions(element).filter((value) => value.$type === type);
  if (found.length > 1) report(`has ${found.length} ${xmlName(type)} elements; only one is allowed`);
  return found[0] as T | undefined;
}
