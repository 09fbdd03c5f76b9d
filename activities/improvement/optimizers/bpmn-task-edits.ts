import type { ModdleElement } from 'bpmn-moddle';
import { moddle } from '../../../compiler/bpmn/parse.ts';

type Mutable = { -readonly [K in keyof ModdleElement]: ModdleElement[K] } & Record<string, unknown>;

/** The BPMN XML with these task headers of one task set (added when absent), the rest as it was. */
export async function withTaskHeaders(
  xml: string,
  taskId: string,
  headers: Record<string, string>,
): Promise<string> {
  return editElement(xml, taskId, (task) => {
    const extensions = extensionsOf(task);
    let taskHeaders = extensions.find((value) => value.$type === 'zeebe:TaskHeaders') as Mutable | undefined;
    if (!taskHeaders) {
      taskHeaders = moddle.create('zeebe:TaskHeaders', { values: [] }) as Mutable;
      extensions.push(taskHeaders);
    }
    taskHeaders.values ??= [];
    const values = taskHeaders.values as Mutable[];
    for (const [key, value] of Object.entries(headers)) {
      const header = values.find((candidate) => candidate.key === key);
      if (header) header.value = value;
      else values.push(moddle.create('zeebe:Header', { key, value }) as Mutable);
    }
    return task;
  });
}

/**
 * The BPMN XML with one task replaced by a script task of the same id and name that evaluates
 * `expression` (FEEL, no "=") into `resultVariable` in the engine: its zeebe:taskDefinition and
 * task headers go, its zeebe:ioMapping and other extensions stay, and so do its flows, boundary
 * events and diagram shape (they refer to it by id).
 */
export async function withScriptTask(
  xml: string,
  taskId: string,
  expression: string,
  resultVariable: string,
): Promise<string> {
  return editElement(xml, taskId, (task) => {
    const kept = extensionsOf(task).filter(
      (value) => value.$type !== 'zeebe:TaskDefinition' && value.$type !== 'zeebe:TaskHeaders',
    );
    const script = moddle.create('zeebe:Script', { expression: `=${expression}`, resultVariable });
    const replacement = moddle.create('bpmn:ScriptTask', {
      ...ownProperties(task),
      extensionElements: moddle.create('bpmn:ExtensionElements', { values: [...kept, script] }),
    }) as Mutable;
    Object.assign(replacement.$attrs as object, task.$attrs);
    return replacement;
  });
}

async function editElement(
  xml: string,
  id: string,
  edit: (element: Mutable) => ModdleElement,
): Promise<string> {
  const { rootElement, elementsById } = await moddle.fromXML(xml);
  const element = elementsById[id] as Mutable | undefined;
  if (!element) throw new Error(`the BPMN has no element "${id}"`);
  const replacement = edit(element);
  if (replacement !== element) {
    const container = element.$parent as Mutable | undefined;
    const siblings = container?.flowElements as ModdleElement[] | undefined;
    const index = siblings?.indexOf(element) ?? -1;
    if (!siblings || index < 0)
      throw new Error(`the BPMN element "${id}" is not in a process or sub-process`);
    siblings[index] = replacement;
    (replacement as Mutable).$parent = container as ModdleElement | undefined;
  }
  return (await moddle.toXML(rootElement, { format: true })).xml;
}

function extensionsOf(element: Mutable): Mutable[] {
  let extensions = element.extensionElements as Mutable | undefined;
  if (!extensions) {
    extensions = moddle.create('bpmn:ExtensionElements', { values: [] }) as Mutable;
    element.extensionElements = extensions;
  }
  extensions.values ??= [];
  return extensions.values as Mutable[];
}

/** A moddle element's own BPMN properties (references such as `incoming` are not enumerable), not its `$` fields. */
function ownProperties(element: Mutable): Record<string, unknown> {
  return Object.fromEntries(
    Object.getOwnPropertyNames(element)
      .filter((key) => !key.startsWith('$') && key !== 'extensionElements')
      .map((key) => [key, element[key]]),
  );
}
