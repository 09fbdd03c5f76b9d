import type {
  Expression,
  FlowElementsContainer,
  ModdleElement,
  SequenceFlow as ModdleFlow,
} from 'bpmn-moddle';
import type { SequenceFlow } from '../../schema/graph.ts';
import { type CompileProblem, type Report, reporter } from '../errors.ts';
import { zeebeExpression } from './expressions.ts';

const FEEL_LANGUAGE = /feel/i;

/**
 * The sequence flows of a process or sub-process that join two of its own flow nodes, keyed by
 * id in model order. Flows in `flagged` already have a reference problem from the parser and
 * are not reported again.
 */
export function compileFlows(
  container: FlowElementsContainer,
  nodeIds: ReadonlySet<string>,
  flagged: ReadonlySet<string>,
  problems: CompileProblem[],
): Record<string, SequenceFlow> {
  const flows: Record<string, SequenceFlow> = {};
  for (const flow of container.flowElements ?? []) {
    if (flow.$type !== 'bpmn:SequenceFlow') continue;
    if (flow.id === undefined) {
      problems.push({ elementType: flow.$type, message: 'has no id' });
      continue;
    }
    const report = reporter(problems, { id: flow.id, type: flow.$type });
    const { sourceRef, targetRef, conditionExpression } = flow as ModdleFlow;
    const condition = conditionExpression && compileCondition(conditionExpression, report);
    const source = endpoint(sourceRef, 'sourceRef', nodeIds, !flagged.has(flow.id), report);
    const target = endpoint(targetRef, 'targetRef', nodeIds, !flagged.has(flow.id), report);
    if (source && target) {
      flows[flow.id] = { id: flow.id, source, target, ...(condition ? { condition } : {}) };
    }
  }
  return flows;
}

function endpoint(
  ref: ModdleElement | undefined,
  property: string,
  nodeIds: ReadonlySet<string>,
  reportMissing: boolean,
  report: Report,
): string | undefined {
  if (!ref) {
    if (reportMissing) report(`has no ${property}`);
    return undefined;
  }
  if (ref.id !== undefined && nodeIds.has(ref.id)) return ref.id;
  report(`${property} "${ref.id}" is not a flow node of the same process or sub-process`);
  return undefined;
}

/** The condition as FEEL; after a problem, its text, so that the flow still counts as conditional. */
function compileCondition(expression: Expression, report: Report): string {
  if (expression.language && !FEEL_LANGUAGE.test(expression.language)) {
    report(`condition language "${expression.language}" is not supported; write FEEL`);
    return expression.body?.trim() ?? '';
  }
  return zeebeExpression(expression.body ?? '', 'condition', report);
}
