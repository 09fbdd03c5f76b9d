import type { ProcessGraph } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { evaluateFeel } from '../../workflows/feel.ts';
import { branchOutcome, GraphWalker, type StepCall, type WalkerEffects } from '../../workflows/walker.ts';

/**
 * Effects that run script steps in memory and branches as nested walkers: the walker's logic
 * without Temporal, for unit tests of navigation. Service tasks return `results[taskType]`.
 */
export function inMemoryEffects(
  graph: ProcessGraph,
  results: Record<string, (variables: Variables) => Variables> = {},
) {
  const calls: string[] = [];
  const branches: string[] = [];
  const effects: WalkerEffects = {
    async executeStep({ element, stepKey, variables }: StepCall) {
      calls.push(stepKey);
      await Promise.resolve();
      const { work } = element;
      if (work.kind === 'script') return { [work.resultVariable]: evaluateFeel(work.expression, variables) };
      return results[work.taskType]?.(variables) ?? {};
    },
    async runBranch(call) {
      branches.push(call.key);
      const walker = new GraphWalker(graph, structuredClone(call.variables), effects, {
        maxSteps: call.stepsBudget,
        keyPrefix: `${call.key}/`,
        stopAt: call.joinId,
      });
      const first = graph.flows[call.flowId]?.target as string;
      await walker.walkFrom(first, call.flowId);
      return branchOutcome(walker, call.variables);
    },
    isCancellation: (error) => error instanceof Error && error.name === 'CancelledFailure',
  };
  return { effects, calls, branches };
}
