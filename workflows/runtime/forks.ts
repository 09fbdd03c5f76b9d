import { patched } from '@temporalio/workflow';
import type { BlockFork, FlowElement, ProcessGraph } from '../../schema/graph.ts';
import { runBranch } from '../effects.ts';
import type { ScopeInstance } from './scope-instance.ts';

/**
 * Released runs sent every block-structured fork's branches to child workflows. Since this patch a
 * fork stays in the run unless it is large: in the bench, child workflows gave 0.42–0.67× the
 * throughput of the same branches in the run, at 1.6–2.7× the server CPU (docs/performance.md).
 */
const FORKS_IN_THE_RUN = 'forks-in-the-run';

/**
 * Above this many elements in its branches a fork's history (about four events an element) is
 * worth splitting into child workflows: a run cannot continue as new in the middle of a fork.
 */
const CHILD_WORKFLOW_FORK_ELEMENTS = 1_000;

/**
 * Whether a block-structured fork's branches run as child workflows: as its gateway's
 * `swarmflow.forkBranches` says, or else only when the fork is large. Branches with user tasks or
 * LLM steps always stay in the run, so a person completes tasks and approves tool calls on the run
 * they see, and the run's budget counts every call.
 */
export function runsAsChildren(graph: ProcessGraph, forkId: string, fork: BlockFork): boolean {
  const inBranches = elementsInBranches(graph, fork);
  if (!prefersChildren(graph.elements[forkId], inBranches.size) && patched(FORKS_IN_THE_RUN)) return false;
  return !Object.values(graph.elements).some(
    (element) => staysInRun(element) && withinAny(graph, element.scope, element.id, inBranches),
  );
}

function prefersChildren(gateway: FlowElement | undefined, elementsInBranches: number): boolean {
  const chosen = gateway?.kind === 'parallelGateway' ? gateway.forkBranches : undefined;
  return chosen === undefined
    ? elementsInBranches > CHILD_WORKFLOW_FORK_ELEMENTS
    : chosen === 'childWorkflows';
}

function elementsInBranches(graph: ProcessGraph, fork: BlockFork): Set<string> {
  const inBranches = new Set<string>();
  const pending = fork.branches.map((flowId) => graph.flows[flowId]?.target as string);
  while (pending.length > 0) {
    const elementId = pending.pop() as string;
    if (elementId === fork.joinId || inBranches.has(elementId)) continue;
    inBranches.add(elementId);
    const element = graph.elements[elementId];
    if (!element) continue;
    for (const flowId of element.outgoing) pending.push(graph.flows[flowId]?.target as string);
    if ('boundaryEvents' in element) pending.push(...element.boundaryEvents);
  }
  return inBranches;
}

function staysInRun(element: FlowElement): boolean {
  return element.kind === 'userTask' || (element.kind === 'workTask' && element.work.kind === 'llm');
}

function withinAny(graph: ProcessGraph, scopeId: string, elementId: string, roots: Set<string>): boolean {
  if (roots.has(elementId)) return true;
  let current: string | undefined = scopeId;
  while (current !== undefined && graph.elements[current]) {
    if (roots.has(current)) return true;
    current = graph.elements[current]?.scope;
  }
  return false;
}

/** Runs each branch of a block fork as a child workflow, merging changes as branches finish, then the join. */
export async function runBlockFork(scope: ScopeInstance, forkId: string, fork: BlockFork): Promise<void> {
  const { run } = scope;
  const key = run.nextKey(forkId);
  const snapshot = scope.variables.view();
  await Promise.all(
    fork.branches.map(async (flowId, index) => {
      if (scope.flowTarget(flowId) === fork.joinId) return;
      const outcome = await runBranch(run.scope, {
        key: `${key}.${index}`,
        scopeId: scope.scopeId,
        flowId,
        joinId: fork.joinId,
        variables: snapshot,
        stepsBudget: run.maxSteps - run.stepsExecuted,
      });
      scope.variables.propagate(outcome.changes);
      run.absorb(outcome);
    }),
  );
  scope.follow(await scope.complete(scope.element(fork.joinId)));
}
