import { ApplicationFailure } from '@temporalio/workflow';
import type { RunScope } from './effects.ts';
import { temporalEffects } from './effects.ts';
import { isRunFailure, rootMessage } from './failures.ts';
import { cloneJson } from './navigator/json.ts';
import { type BranchCall, type BranchOutcome, branchOutcome, GraphWalker } from './walker.ts';

export interface BranchWorkflowInput extends RunScope {
  branch: BranchCall;
}

/** One branch of a block-structured parallel fork: walks from the fork's flow until it reaches the join. */
export async function branchWorkflow(input: BranchWorkflowInput): Promise<BranchOutcome> {
  const { branch, graph } = input;
  const walker = new GraphWalker(graph, cloneJson(branch.variables), temporalEffects(input), {
    maxSteps: branch.stepsBudget,
    keyPrefix: `${branch.key}/`,
    stopAt: branch.joinId,
  });
  const firstElement = graph.flows[branch.flowId]?.target;
  if (firstElement === undefined)
    throw ApplicationFailure.nonRetryable(`unknown sequence flow ${branch.flowId}`);
  try {
    await walker.walkFrom(firstElement, branch.flowId);
  } catch (error) {
    if (isRunFailure(error)) throw ApplicationFailure.nonRetryable(rootMessage(error), 'RunIncident');
    throw error;
  }
  return branchOutcome(walker, branch.variables);
}
