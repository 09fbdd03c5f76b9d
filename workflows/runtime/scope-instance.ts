import { CancellationScope, condition, isCancellation } from '@temporalio/workflow';
import type { ElementOfKind, EventDefinition, FlowElement } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { RunIncident } from '../navigator/incident.ts';
import { JoinCounter } from '../navigator/joins.ts';
import { evaluateOutputs } from '../navigator/mappings.ts';
import { selectOutgoing } from '../navigator/outgoing.ts';
import { canStillArrive } from '../navigator/reachability.ts';
import type { VariableScope } from '../navigator/variable-scope.ts';
import { runActivity } from './activity-execution.ts';
import { ActivityInterrupted, BpmnError, ContinueAsNewRequested } from './errors.ts';
import { evalToolsOf } from './eval-tools.ts';
import { raceEventGateway } from './event-gateway.ts';
import { throwEventResult } from './event-results.ts';
import { runBlockFork, runsAsChildren } from './forks.ts';
import type { RunContext } from './run-context.ts';
import { TokenGroup } from './token-group.ts';
import { awaitTrigger, isCatchTrigger, listen } from './triggers.ts';

export type EscalationOutcome = 'interrupted' | 'continued' | 'uncaught';

/** The activity (a sub-process, or an event sub-process's scope) that contains a scope instance. */
export interface ScopeHost {
  readonly outer: ScopeInstance;
  /** Whether the host's boundary events catch this error code. */
  catchesError(code: string): boolean;
  /** Offers an escalation to the host's boundary events, then to the scopes around it. */
  escalate(code: string, payload: Variables): EscalationOutcome;
}

export interface ScopeOptions {
  host?: ScopeHost;
  eventSubProcesses?: string[];
  /** A branch of a block fork ends its tokens at the join. */
  stopAt?: string;
  /** Errors no scope here catches still unwind out (a branch or called process hands them to its caller). */
  handsErrorsOut?: boolean;
  /** The process scope of a run may continue as new between elements when its history grows long. */
  mayContinueAsNew?: boolean;
}

type EventSubProcess = ElementOfKind<'eventSubProcess'>;

/**
 * One instance of a process, sub-process or event sub-process: its tokens, joins, event
 * sub-process listeners, and how errors, escalations and terminate end events leave it.
 */
export class ScopeInstance {
  private readonly tokens = new TokenGroup();
  private readonly joins = new JoinCounter();
  private readonly main = new CancellationScope();
  private readonly positions = new Map<string, number>();
  private readonly inclusiveArrivals = new Map<string, Map<string, number>>();
  private interruption: (() => Promise<void>) | undefined;
  private readonly jumps = new Map<string, string>();

  constructor(
    readonly run: RunContext,
    readonly scopeId: string,
    readonly variables: VariableScope,
    private readonly options: ScopeOptions = {},
  ) {}

  /** Runs the scope from `startId` until every token in it has ended. */
  async runFrom(startId: string, entry: { viaFlow?: string; payload?: Variables } = {}): Promise<void> {
    const listeners = new CancellationScope();
    listeners.run(() => this.listenForEventSubProcesses()).catch(ignoreCancellation);
    try {
      await this.main.run(async () => {
        this.tokens.spawn(() => this.walkFrom(startId, entry.viaFlow, entry.payload));
        await this.tokens.settled();
      });
      // The last token may have interrupted the scope as it ended (an escalation): nothing was left to cancel.
      await this.interruption?.();
    } catch (error) {
      await this.leaveAfter(error);
    } finally {
      listeners.cancel();
    }
  }

  /** Moves a token into an element (over `viaFlow`) and on, until its path ends. */
  async walkFrom(elementId: string, viaFlow?: string, payload?: Variables): Promise<void> {
    if (elementId === this.options.stopAt) return;
    if (this.isQuietPoint() && this.run.historyIsLong()) throw new ContinueAsNewRequested(elementId, viaFlow);
    const element = this.element(elementId);
    if (!(await this.arrive(element, viaFlow))) return;
    let outgoing: string[];
    try {
      outgoing = await this.complete(element, payload);
    } catch (error) {
      if (!(error instanceof ActivityInterrupted)) throw error;
      return this.walkFrom(error.boundary.id, undefined, error.payload);
    }
    const jump = this.jumps.get(element.id);
    if (jump !== undefined) {
      this.jumps.delete(element.id);
      this.tokens.spawn(() => this.walkFrom(jump));
    }
    const fork = this.run.graph.forks[element.id];
    if (fork && runsAsChildren(this.run.graph, element.id, fork)) {
      await runBlockFork(this, element.id, fork);
      return;
    }
    this.follow(outgoing);
  }

  /** One token, between elements, with nothing waiting at a join: its place is all the state there is. */
  private isQuietPoint(): boolean {
    return (
      this.options.mayContinueAsNew === true &&
      this.tokens.size === 1 &&
      this.positions.size === 0 &&
      this.inclusiveArrivals.size === 0 &&
      !this.joins.holdsTokens()
    );
  }

  /** Starts a token down each flow. */
  follow(flowIds: string[]): void {
    for (const flowId of flowIds) this.tokens.spawn(() => this.walkFrom(this.flowTarget(flowId), flowId));
  }

  /** Starts a path from outside the token paths (a listener): it belongs to this scope's tokens. */
  spawn(path: () => Promise<void>): void {
    this.main.run(async () => this.tokens.spawn(path)).catch(ignoreCancellation);
  }

  /** After `fromId` completes, its token goes on at `toId` (a link throw to its catch). */
  jumpAfter(fromId: string, toId: string): void {
    this.jumps.set(fromId, toId);
  }

  /** Ends every token of this scope; the scope completes normally (terminate end event). */
  terminate(): void {
    this.interruption ??= async () => {};
    this.main.cancel();
  }

  /** Whether a thrown error code would be caught here or by a scope around this one. */
  canCatchError(code: string): boolean {
    if (this.errorEventSubProcess(code)) return true;
    const { host } = this.options;
    if (!host) return this.options.handsErrorsOut === true;
    return host.catchesError(code) || host.outer.canCatchError(code);
  }

  /** Offers an escalation to this scope's event sub-processes, then outward. */
  escalate(code: string, payload: Variables): EscalationOutcome {
    const handler = this.eventSubProcesses().find((esp) =>
      matchesCode(this.startOf(esp).trigger, 'escalation', code),
    );
    if (handler) {
      this.triggerEventSubProcess(handler, payload);
      return this.startOf(handler).interrupting ? 'interrupted' : 'continued';
    }
    return this.options.host?.escalate(code, payload) ?? 'uncaught';
  }

  element(elementId: string): FlowElement {
    const element = this.run.graph.elements[elementId];
    if (!element) throw new RunIncident(elementId, 'the compiled graph has no such element');
    return element;
  }

  flowTarget(flowId: string): string {
    const flow = this.run.graph.flows[flowId];
    if (!flow) throw new RunIncident(flowId, 'the compiled graph has no such sequence flow');
    return flow.target;
  }

  /** Does an element's work and returns the flows its token leaves by, tracking it in trace and state. */
  complete(element: FlowElement, payload?: Variables): Promise<string[]> {
    const type = 'multiInstance' in element && element.multiInstance ? 'multiInstanceBody' : undefined;
    return this.track(element, () => this.retryOnIncident(() => this.perform(element, payload)), type);
  }

  /** Sets a catch event's payload (a message's variables) in this scope, through its output mappings. */
  applyPayload(element: FlowElement, payload: Variables): void {
    if (element.outputs.length === 0) {
      this.variables.propagate(payload);
      return;
    }
    this.variables.propagate(
      evaluateOutputs(element.id, element.outputs, { ...this.variables.view(), ...payload }),
    );
  }

  private async perform(element: FlowElement, payload?: Variables): Promise<string[]> {
    switch (element.kind) {
      case 'startEvent':
      case 'boundaryEvent':
        if (payload) this.applyPayload(element, payload);
        return element.outgoing;
      case 'intermediateCatchEvent':
        await this.catchEvent(element, payload);
        return element.outgoing;
      case 'intermediateThrowEvent':
      case 'endEvent':
        return throwEventResult(this, element);
      case 'eventBasedGateway':
        await raceEventGateway(this, element);
        return [];
      case 'exclusiveGateway':
      case 'inclusiveGateway':
      case 'parallelGateway':
        return selectOutgoing(this.run.graph, element, this.variables.view());
      case 'eventSubProcess':
        throw new RunIncident(element.id, 'an event sub-process cannot be entered by a sequence flow');
      default:
        await runActivity(this, element, payload);
        return element.outgoing;
    }
  }

  private async catchEvent(
    element: ElementOfKind<'intermediateCatchEvent'>,
    payload?: Variables,
  ): Promise<void> {
    const { trigger } = element;
    if (!isCatchTrigger(trigger)) return;
    const received =
      payload ??
      (await awaitTrigger(
        this.run,
        element.id,
        trigger,
        this.variables.view(),
        this.run.nextKey(element.id),
      ));
    this.applyPayload(element, received);
  }

  /** Runs `attempt`; on an incident, parks the run until it is resolved and tries again. */
  async retryOnIncident<T>(attempt: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof RunIncident)) throw error;
        // Nobody resolves incidents in an eval: its run fails, and the case scores 0.
        if (evalToolsOf(this.run.scope)) throw error;
        await this.run.parkIncident(error);
      }
    }
  }

  /** Counts an element instance as active while `work` runs, then records how it ended. */
  async track<T>(element: FlowElement, work: () => Promise<T>, type?: string): Promise<T> {
    this.run.activate(element.id);
    this.positions.set(element.id, (this.positions.get(element.id) ?? 0) + 1);
    let status: 'completed' | 'terminated' | 'failed' = 'completed';
    try {
      return await work();
    } catch (error) {
      status = endStatus(element, error);
      throw error;
    } finally {
      const left = (this.positions.get(element.id) ?? 1) - 1;
      if (left === 0) this.positions.delete(element.id);
      else this.positions.set(element.id, left);
      this.run.end(element, status, type);
    }
  }

  /** Whether a token arriving over `viaFlow` goes on (joins hold tokens until they fire). */
  private async arrive(element: FlowElement, viaFlow: string | undefined): Promise<boolean> {
    if (viaFlow === undefined || element.incoming.length <= 1) return true;
    if (element.kind === 'parallelGateway') return this.joins.arrive(element, viaFlow);
    if (element.kind === 'inclusiveGateway') return this.arriveAtInclusiveJoin(element, viaFlow);
    return true;
  }

  /**
   * An inclusive join fires once no token of this scope can still reach one of its incoming
   * flows that has no token yet; tokens arriving while one waits merge into it.
   */
  private async arriveAtInclusiveJoin(gateway: FlowElement, viaFlow: string): Promise<boolean> {
    const arrivals = this.inclusiveArrivals.get(gateway.id) ?? new Map<string, number>();
    const waiting = this.inclusiveArrivals.has(gateway.id);
    this.inclusiveArrivals.set(gateway.id, arrivals);
    arrivals.set(viaFlow, (arrivals.get(viaFlow) ?? 0) + 1);
    if (waiting) return false;
    await condition(() => this.inclusiveJoinCanFire(gateway, arrivals));
    this.inclusiveArrivals.delete(gateway.id);
    return true;
  }

  private inclusiveJoinCanFire(gateway: FlowElement, arrivals: Map<string, number>): boolean {
    const missing = new Set(gateway.incoming.filter((flowId) => !arrivals.has(flowId)));
    if (missing.size === 0) return true;
    return [...this.positions.keys()].every(
      (position) => !canStillArrive(this.run.graph, position, gateway.id, missing),
    );
  }

  private async listenForEventSubProcesses(): Promise<void> {
    await Promise.all(
      this.eventSubProcesses().map(async (esp) => {
        const start = this.startOf(esp);
        if (!isCatchTrigger(start.trigger)) return;
        const key = this.run.nextKey(start.id);
        await listen(
          this.run,
          start.id,
          start.trigger,
          this.variables.view(),
          key,
          !start.interrupting,
          (payload) => this.triggerEventSubProcess(esp, payload),
        );
      }),
    );
  }

  private triggerEventSubProcess(esp: EventSubProcess, payload: Variables): void {
    if (!this.startOf(esp).interrupting) {
      this.spawn(() => this.runEventSubProcess(esp, payload));
      return;
    }
    this.interruption ??= () => this.runEventSubProcess(esp, payload);
    this.main.cancel();
  }

  private async runEventSubProcess(esp: EventSubProcess, payload: Variables): Promise<void> {
    await this.track(esp, async () => {
      const inner = new ScopeInstance(this.run, esp.id, this.variables.child(), {
        host: { outer: this, catchesError: () => false, escalate: (code, data) => this.escalate(code, data) },
      });
      await inner.runFrom(esp.startId, { payload });
    });
  }

  /**
   * Decides how the scope ends after its tokens stopped early: an interruption (terminate, an
   * interrupting event sub-process) or a caught error runs its continuation; anything else
   * leaves the scope once every token has recorded how it ended.
   */
  private async leaveAfter(error: unknown): Promise<void> {
    const errorHandler = error instanceof BpmnError ? this.errorEventSubProcess(error.code) : undefined;
    this.main.cancel();
    await this.tokens.drained();
    if (errorHandler && error instanceof BpmnError) {
      await this.runEventSubProcess(errorHandler, error.variables);
      return;
    }
    const continuation = this.interruption;
    if (!continuation || !isCancellation(error)) throw error;
    this.interruption = undefined;
    await continuation();
  }

  private errorEventSubProcess(code: string): EventSubProcess | undefined {
    return this.eventSubProcesses().find((esp) => matchesCode(this.startOf(esp).trigger, 'error', code));
  }

  private eventSubProcesses(): EventSubProcess[] {
    return (this.options.eventSubProcesses ?? []).map((id) => this.element(id) as EventSubProcess);
  }

  private startOf(esp: EventSubProcess): ElementOfKind<'startEvent'> {
    return this.element(esp.startId) as ElementOfKind<'startEvent'>;
  }
}

/** Whether an error or escalation catch definition catches `code` (no code catches all). */
export function matchesCode(
  trigger: EventDefinition | undefined,
  kind: 'error' | 'escalation',
  code: string,
): boolean {
  return trigger?.kind === kind && (trigger.code === undefined || trigger.code === code);
}

function endStatus(element: FlowElement, error: unknown): 'completed' | 'terminated' | 'failed' {
  if (error instanceof BpmnError) return error.elementId === element.id ? 'completed' : 'terminated';
  if (isCancellation(error) || error instanceof ActivityInterrupted) return 'terminated';
  return 'failed';
}

function ignoreCancellation(error: unknown): void {
  if (!isCancellation(error)) throw error;
}
