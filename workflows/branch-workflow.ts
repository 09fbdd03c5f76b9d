import { ApplicationFailure } from '@temporalio/workflow';
import { changedVariables } from './navigator/json.ts';
import { VariableScope } from './navigator/variable-scope.ts';
import { toChildFailure } from './runtime/errors.ts';
import { installRunHandlers } from './runtime/handlers.ts';
import { type BranchCall, type BranchOutcome, RunContext, type RunScope } from './runtime/run-context.ts';
import { ScopeInstance } from './runtime/scope-instance.ts';

export interface BranchWorkflowInput extends RunScope {
  branch: BranchCall;
}

/** One branch of a block-structured parallel fork: runs from the fork's flow until it reaches the join. */
export async function branchWorkflow(input: BranchWorkflowInput): Promise<BranchOutcome> {
  const { branch, graph } = input;
  const root = new VariableScope(undefined, branch.variables);
  const run = new RunContext(input, root, `${branch.key}/`, branch.stepsBudget);
  installRunHandlers(run, () => ({
    runId: input.runId,
    status: run.status,
    outputs: root.ownVariables(),
    trace: run.trace,
  }));
  const first = graph.flows[branch.flowId]?.target;
  if (first === undefined) throw ApplicationFailure.nonRetryable(`unknown sequence flow ${branch.flowId}`);
  try {
    const scope = new ScopeInstance(run, branch.scopeId, root, {
      stopAt: branch.joinId,
      handsErrorsOut: true,
    });
    await scope.runFrom(first, { viaFlow: branch.flowId });
  } catch (error) {
    throw toChildFailure(error);
  }
  return run.childOutcome(changedVariables(branch.variables, root.ownVariables()));
}
