import type { BlockFork, FlowElement, ProcessGraph, SequenceFlow } from '../../schema/graph.ts';
import type { CompileProblem } from '../errors.ts';

type Elements = Readonly<Record<string, FlowElement>>;
type Flows = Readonly<Record<string, SequenceFlow>>;

/**
 * The block-structured parallel forks of a valid process, found in each scope on its own:
 * each branch of such a fork can run on its own until one join gateway of the same scope,
 * which only the fork's branches enter. Other forks are absent; the navigator runs them by
 * token counting.
 */
export function findBlockForks(elements: Elements, flows: Flows): Record<string, BlockFork> {
  const forks: Record<string, BlockFork> = {};
  for (const fork of Object.values(elements)) {
    if (fork.kind !== 'parallelGateway' || fork.incoming.length !== 1 || fork.outgoing.length < 2) continue;
    const join = Object.values(elements).find(
      (candidate) =>
        candidate.kind === 'parallelGateway' &&
        candidate.id !== fork.id &&
        candidate.scope === fork.scope &&
        candidate.incoming.length === fork.outgoing.length &&
        closesBlock(fork, candidate, elements, flows),
    );
    if (join) forks[fork.id] = { joinId: join.id, branches: [...fork.outgoing] };
  }
  return forks;
}

/** Reports `swarmflow.forkBranches` on a parallel gateway that is not a block fork: nothing would honour it. */
export function checkForkBranches(graph: ProcessGraph, problems: CompileProblem[]): void {
  for (const element of Object.values(graph.elements)) {
    if (element.kind !== 'parallelGateway' || element.forkBranches === undefined || graph.forks[element.id])
      continue;
    problems.push({
      elementId: element.id,
      elementType: 'bpmn:ParallelGateway',
      message:
        'zeebe:property swarmflow.forkBranches applies only to a block-structured fork (one parallel join closes all its branches); remove it, or join the branches at one gateway',
    });
  }
}

interface Branch {
  flowId: string;
  region: ReadonlySet<string>;
}

function closesBlock(fork: FlowElement, join: FlowElement, elements: Elements, flows: Flows): boolean {
  const branches: Branch[] = [];
  for (const flowId of fork.outgoing) {
    const region = branchRegion(flowId, fork.id, join.id, elements, flows);
    if (!region) return false;
    branches.push({ flowId, region });
  }
  return (
    areDisjoint(branches.map((branch) => branch.region)) &&
    branches.every((branch) => isEnteredOnlyFromWithin(branch, elements, flows)) &&
    joinTakesOneFlowPerBranch(join, branches, flows)
  );
}

/**
 * The elements a branch reaches before `joinId`, its activities' boundary events included, or
 * undefined when the branch can end, return to the fork, get stuck where the join is out of
 * reach, or gain tokens (a non-interrupting boundary event).
 */
function branchRegion(
  flowId: string,
  forkId: string,
  joinId: string,
  elements: Elements,
  flows: Flows,
): Set<string> | undefined {
  const region = new Set<string>();
  const pending = targets([flowId], flows);
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (id === joinId || region.has(id)) continue;
    const element = elements[id];
    if (!element || id === forkId || element.kind === 'endEvent') return undefined;
    if (element.kind === 'boundaryEvent' && !element.interrupting) return undefined;
    region.add(id);
    pending.push(...successors(element, flows));
  }
  return allReach(joinId, region, elements, flows) ? region : undefined;
}

/** Where a token can go from an element: along its flows or, from an activity, to a boundary event. */
function successors(element: FlowElement, flows: Flows): string[] {
  const next = targets(element.outgoing, flows);
  return 'boundaryEvents' in element ? [...next, ...element.boundaryEvents] : next;
}

function targets(flowIds: readonly string[], flows: Flows): string[] {
  return flowIds.flatMap((flowId) => flows[flowId]?.target ?? []);
}

/** Whether every element of `region` has a path to `joinId` inside the region. */
function allReach(joinId: string, region: ReadonlySet<string>, elements: Elements, flows: Flows): boolean {
  const reaching = new Set<string>();
  const pending = [...(elements[joinId]?.incoming ?? [])];
  for (let flowId = pending.pop(); flowId !== undefined; flowId = pending.pop()) {
    const source = flows[flowId]?.source;
    if (source === undefined || !region.has(source) || reaching.has(source)) continue;
    reaching.add(source);
    pending.push(...(elements[source]?.incoming ?? []));
  }
  return reaching.size === region.size;
}

function areDisjoint(regions: readonly ReadonlySet<string>[]): boolean {
  const all = new Set(regions.flatMap((region) => [...region]));
  return all.size === regions.reduce((sum, region) => sum + region.size, 0);
}

/** Whether every flow into the branch comes from inside it, or is the branch's own first flow. */
function isEnteredOnlyFromWithin(
  { flowId: first, region }: Branch,
  elements: Elements,
  flows: Flows,
): boolean {
  return [...region].every((id) =>
    (elements[id]?.incoming ?? []).every((flowId) => {
      const source = flows[flowId]?.source;
      return flowId === first || (source !== undefined && region.has(source));
    }),
  );
}

function joinTakesOneFlowPerBranch(join: FlowElement, branches: readonly Branch[], flows: Flows): boolean {
  const branchesSeen = new Set<number>();
  for (const flowId of join.incoming) {
    const source = flows[flowId]?.source;
    const branch = branches.findIndex(
      ({ flowId: first, region }) => flowId === first || (source !== undefined && region.has(source)),
    );
    if (branch === -1 || branchesSeen.has(branch)) return false;
    branchesSeen.add(branch);
  }
  return branchesSeen.size === branches.length;
}
