import type { FlowNode, ZeebeIoMapping, ZeebeParameter } from 'bpmn-moddle';
import type { VariableMapping } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import type { ElementBase } from './elements.ts';
import { zeebeValue } from './expressions.ts';
import { findExtension } from './extensions.ts';

/** `base` with the node's zeebe:ioMapping as input and output mappings. */
export function withMappings(node: FlowNode, base: ElementBase, report: Report): ElementBase {
  const mapping = findExtension<ZeebeIoMapping>(node, 'zeebe:IoMapping', report);
  return {
    ...base,
    inputs: variableMappings(mapping?.inputParameters, 'zeebe:input', report),
    outputs: variableMappings(mapping?.outputParameters, 'zeebe:output', report),
  };
}

function variableMappings(
  parameters: readonly ZeebeParameter[] = [],
  kind: string,
  report: Report,
): VariableMapping[] {
  return parameters.flatMap((parameter) => {
    const target = parameter.target?.trim();
    if (!target) {
      report(`a ${kind} has no target`);
      return [];
    }
    if (!parameter.source?.trim()) {
      report(`${kind} "${target}" has no source (write source="=null" for an empty variable)`);
      return [];
    }
    return [{ target, source: zeebeValue(parameter.source, `${kind} "${target}"`, report) }];
  });
}
