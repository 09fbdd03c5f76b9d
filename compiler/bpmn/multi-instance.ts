import type { ModdleElement, MultiInstanceLoopCharacteristics, ZeebeLoopCharacteristics } from 'bpmn-moddle';
import type { MultiInstance } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import { zeebeExpression, zeebeValue } from './expressions.ts';
import { checkExtensions, findExtension } from './extensions.ts';

/**
 * `bpmn:multiInstanceLoopCharacteristics` with Zeebe's zeebe:loopCharacteristics: a collection
 * to run over, the variable each instance sees its item in, and optionally a collection of
 * results, one per item in input order. BPMN's own data inputs and cardinality are not Zeebe's.
 */
export function compileMultiInstance(loop: ModdleElement, report: Report): MultiInstance | undefined {
  if (loop.$type === 'bpmn:StandardLoopCharacteristics') {
    report('standard loops (bpmn:standardLoopCharacteristics) are not supported; use multi-instance');
    return undefined;
  }
  const multi = loop as MultiInstanceLoopCharacteristics;
  checkExtensions(multi, ['zeebe:LoopCharacteristics'], report);
  if (multi.loopCardinality)
    report('a multi-instance loopCardinality is not supported; give an inputCollection');
  if (multi.loopDataInputRef || multi.loopDataOutputRef || multi.inputDataItem || multi.outputDataItem) {
    report('BPMN multi-instance data inputs and outputs are not supported; use zeebe:loopCharacteristics');
  }
  const zeebe = findExtension<ZeebeLoopCharacteristics>(multi, 'zeebe:LoopCharacteristics', report);
  if (!zeebe?.inputCollection?.trim()) {
    report('a multi-instance needs a zeebe:loopCharacteristics inputCollection');
    return undefined;
  }
  const inputElement = zeebe.inputElement?.trim();
  const outputCollection = zeebe.outputCollection?.trim();
  const outputElement = zeebe.outputElement?.trim();
  if (!outputCollection !== !outputElement) {
    report('a multi-instance needs both outputCollection and outputElement, or neither');
  }
  const completion = multi.completionCondition?.body;
  return {
    sequential: multi.isSequential === true,
    inputCollection: zeebeExpression(zeebe.inputCollection, 'inputCollection', report),
    ...(inputElement ? { inputElement } : {}),
    ...(outputCollection ? { outputCollection } : {}),
    ...(outputElement ? { outputElement: zeebeValue(outputElement, 'outputElement', report) } : {}),
    ...(completion === undefined
      ? {}
      : { completionCondition: zeebeExpression(completion, 'completionCondition', report) }),
  };
}
