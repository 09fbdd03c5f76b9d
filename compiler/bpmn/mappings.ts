import type { FlowNode, ZeebeIoMapping, ZeebeParameter } from 'bpmn-moddle';
import type { VariableMapping } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import type { ElementBase } from './elements.ts';
import { zeebeValue } from './expressions.ts';
import { findExtension } from './extensions.ts';

/**
 * The zeebe:ioMapping parts an element type takes, as Zeebe allows them: start, catch and
 * boundary events and receive tasks only map their result out; gateways map nothing.
 */
export type MappingKinds = 'none' | 'outputs' | 'both';

/** `base` with the node's zeebe:ioMapping as input and output mappings. */
export function withMappings(
  node: FlowNode,
  base: ElementBase,
  kinds: MappingKinds,
  report: Report,
): ElementBase {
  if (kinds === 'none') return base;
  const mapping = findExtension<ZeebeIoMapping>(node, 'zeebe:IoMapping', report);
  if (kinds === 'outputs' && (mapping?.inputParameters ?? []).length > 0) {
    report('zeebe:input mappings are not allowed here, only zeebe:output');
  }
  return {
    ...base,
    inputs: kinds === 'both' ? variableMappings(mapping?.inputParameters, 'zeebe:input', report) : [],
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
