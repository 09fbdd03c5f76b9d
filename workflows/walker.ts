import { type BlockFork, elementType, type FlowElement, type ProcessGraph } from '../schema/graph.ts';
import type { Variables } from '../schema/json.ts';
import type { TraceEntry } from '../schema/run.ts';
import { RunIncident } from './navigator/incident.ts';
import { JoinCounter } from './navigator/joins.ts';
import { changedVariables, cloneJson } from './navigator/json.ts';
import { evaluateInputs, evaluateOutputs } from './navigator/mappings.ts';
import { selectOutgoing } from './navigator/outgoing.ts';

type WorkTask = Extract<FlowElement, { kind: 'workTask' }>;

export interface StepCall {
  element: WorkTask;
  stepKey: string;
  variables: Variables;
}

export interface BranchCall {
  key: string;
  flowId: string;
  joinId: string;
  variables: Variables;
  stepsBudget: number;
}

export interface BranchOutcome {
  changes: Variables;
  trace: TraceEntry[];
  stepsExecuted: number;
}

/** What the walker asks its host to do: the workflow runs activities and child workflows. */
export interface WalkerEffects {
  executeStep(call: StepCall): Promise<Variables>;
  runBranch(call: BranchCall): Promise<BranchOutcome>;
  /** Whether an error means the run was cancelled (its active elements end terminated, not failed). */
  isCancellation(error: unknown): boolean;
}

export interface WalkerOptions {
  maxSteps: number;
  /** Prefix of step and branch keys, so keys stay unique across a run's child workflows. */
  keyPrefix: string;
  /** A branch walker stops when a token reaches its join. */
  stopAt?: string;
}

/**
 * Moves tokens through a process graph. Each token is an async path; the navigator decides
 * where it goes, the effects do the work. Deterministic: no I/O, clocks or randomness.
 */
export class GraphWalker {
  readonly trace: TraceEntry[] = [];
  stepsExecuted = 0;
  private readonly active = new Map<string, number>();
  private readonly joins = new JoinCounter();
  private readonly instances = new Map<string, number>();

  constructor(
    private readonly graph: ProcessGraph,
    readonly variables: Variables,
    private readonly effects: WalkerEffects,
    private readonly options: WalkerOptions,
  ) {}

  /** Runs a token from an element (entered over `viaFlow`, if any) until every path it spawns ends. */
  async walkFrom(elementId: string, viaFlow?: string): Promise<void> {
    if (elementId === this.options.stopAt) return;
    const element = this.element(elementId);
    if (isJoin(element) && viaFlow !== undefined && !this.joins.arrive(element, viaFlow)) return;
    const outgoing = await this.complete(element);
    const fork = this.graph.forks[element.id];
    if (fork) await this.runBlockFork(element.id, fork);
    else await this.follow(outgoing);
  }

  activeElements(): string[] {
    return [...this.active.keys()];
  }

  /** Ends every element a token is in as terminated (the run was cancelled). */
  terminateActive(): void {
    for (const elementId of this.active.keys()) this.record(this.element(elementId), 'terminated');
    this.active.clear();
  }

  private async follow(flows: string[]): Promise<void> {
    await Promise.all(flows.map((flowId) => this.walkFrom(this.flowTarget(flowId), flowId)));
  }

  /** Does an element's work and decides the flows its token leaves by; both count as the element. */
  private complete(element: FlowElement): Promise<string[]> {
    return this.track(element, async () => {
      if (element.kind === 'workTask') await this.runWork(element);
      return selectOutgoing(this.graph, element, this.variables);
    });
  }

  private async runWork(element: WorkTask): Promise<void> {
    this.stepsExecuted += 1;
    if (this.stepsExecuted > this.options.maxSteps) {
      throw new RunIncident(element.id, `the run reached its limit of ${this.options.maxSteps} steps`);
    }
    const locals = evaluateInputs(element.id, element.inputs, this.variables);
    const stepKey = `${this.options.keyPrefix}${element.id}#${this.nextInstance(element.id)}`;
    const result = await this.effects.executeStep({
      element,
      stepKey,
      variables: { ...this.variables, ...locals },
    });
    Object.assign(
      this.variables,
      evaluateOutputs(element.id, element.outputs, { variables: this.variables, locals, result }),
    );
  }

  /** Runs each branch of a block-structured fork as a child, merging changes in completion order. */
  private async runBlockFork(forkId: string, fork: BlockFork): Promise<void> {
    const snapshot = cloneJson(this.variables);
    const instance = this.nextInstance(forkId);
    await Promise.all(
      fork.branches.map(async (flowId, index) => {
        if (this.flowTarget(flowId) === fork.joinId) return;
        const outcome = await this.effects.runBranch({
          key: `${this.options.keyPrefix}${forkId}#${instance}.${index}`,
          flowId,
          joinId: fork.joinId,
          variables: snapshot,
          stepsBudget: this.options.maxSteps - this.stepsExecuted,
        });
        Object.assign(this.variables, outcome.changes);
        this.trace.push(...outcome.trace);
        this.stepsExecuted += outcome.stepsExecuted;
      }),
    );
    await this.follow(await this.complete(this.element(fork.joinId)));
  }

  private async track<T>(element: FlowElement, work: () => Promise<T>): Promise<T> {
    this.active.set(element.id, (this.active.get(element.id) ?? 0) + 1);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      if (this.release(element.id)) {
        this.record(element, this.effects.isCancellation(error) ? 'terminated' : 'failed');
      }
      throw error;
    }
    if (this.release(element.id)) this.record(element, 'completed');
    return result;
  }

  /** Takes one token off an element; false when it was already ended (terminated). */
  private release(elementId: string): boolean {
    const count = this.active.get(elementId);
    if (count === undefined) return false;
    if (count <= 1) this.active.delete(elementId);
    else this.active.set(elementId, count - 1);
    return true;
  }

  private record(element: FlowElement, status: TraceEntry['status']): void {
    this.trace.push({ elementId: element.id, type: elementType(element), status });
  }

  private nextInstance(elementId: string): number {
    const next = (this.instances.get(elementId) ?? 0) + 1;
    this.instances.set(elementId, next);
    return next;
  }

  private element(elementId: string): FlowElement {
    const element = this.graph.elements[elementId];
    if (!element) throw new RunIncident(elementId, 'the compiled graph has no such element');
    return element;
  }

  private flowTarget(flowId: string): string {
    const flow = this.graph.flows[flowId];
    if (!flow) throw new RunIncident(flowId, 'the compiled graph has no such sequence flow');
    return flow.target;
  }
}

function isJoin(element: FlowElement): boolean {
  return element.kind === 'parallelGateway' && element.incoming.length > 1;
}

/** The outcome a branch walker reports back to the fork that started it. */
export function branchOutcome(walker: GraphWalker, initial: Variables): BranchOutcome {
  return {
    changes: changedVariables(initial, walker.variables),
    trace: walker.trace,
    stepsExecuted: walker.stepsExecuted,
  };
}
