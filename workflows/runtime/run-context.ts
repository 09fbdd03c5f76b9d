import { condition, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { elementType, type FlowElement, type ProcessGraph } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import type { RunLimits } from '../../schema/limits.ts';
import type { LlmStepRecord } from '../../schema/llm-step.ts';
import type { EvalToolContext, RoutineRef, RunResume, RunStatus, TraceEntry } from '../../schema/run.ts';
import { SearchAttributes } from '../../schema/search-attributes.ts';
import { NO_USAGE, type Usage } from '../../schema/usage.ts';
import type { ResolveIncidentRequest } from '../../schema/user-task.ts';
import { bookkeeping } from '../effects.ts';
import type { RunIncident } from '../navigator/incident.ts';
import type { VariableScope } from '../navigator/variable-scope.ts';
import { Approvals } from './approvals.ts';
import { Budget } from './budget.ts';
import { Inbox } from './inbox.ts';

/** Trace entries a run carries into its next execution; older ones stay in the earlier histories. */
const TRACE_CARRIED_OVER = 1000;

/** What a run and each of its branch workflows know about the run: serialisable, it is their input. */
export interface RunScope {
  runId: string;
  routine: RoutineRef;
  graph: ProcessGraph;
  limits: RunLimits;
  /** Set on the runs of an eval (and their branches and called runs): what their tool calls do. */
  evalTools?: EvalToolContext;
}

export interface BranchCall {
  key: string;
  scopeId: string;
  flowId: string;
  joinId: string;
  variables: Variables;
  stepsBudget: number;
}

export interface BranchOutcome {
  changes: Variables;
  trace: TraceEntry[];
  stepsExecuted: number;
  /** What the child used; absent from children that ended before they reported it. */
  usage?: Usage;
}

/**
 * The state of one workflow execution of a run (the run itself, or one of its branches):
 * trace, active elements, the inbox, incident parking, instance numbering, and the LLM steps,
 * tool approvals and budget of its Tier 3 work.
 */
export class RunContext {
  readonly trace: TraceEntry[] = [];
  readonly inbox = new Inbox();
  stepsExecuted = 0;
  status: RunStatus = 'running';
  incident: { elementId: string; message: string } | undefined;
  readonly llmSteps: LlmStepRecord[] = [];
  readonly approvals = new Approvals();
  readonly budget: Budget;
  private resolution: ResolveIncidentRequest | undefined;
  private readonly active = new Map<string, number>();
  private readonly instances = new Map<string, number>();
  private readonly replayedCalls = new Map<string, number>();

  constructor(
    readonly scope: RunScope,
    readonly root: VariableScope,
    readonly keyPrefix: string,
    readonly maxSteps: number,
    resume?: RunResume,
  ) {
    this.budget = new Budget(scope.limits, (status, error) => this.setStatus(status, error), resume?.usage);
    if (!resume) return;
    this.trace.push(...resume.trace);
    this.stepsExecuted = resume.stepsExecuted;
    for (const [elementId, count] of Object.entries(resume.instances)) this.instances.set(elementId, count);
  }

  /** Whether the history is long enough that the run should continue as new at its next quiet point. */
  historyIsLong(): boolean {
    const info = workflowInfo();
    return (
      info.continueAsNewSuggested || info.historyLength >= this.scope.limits.historyEventsBeforeContinueAsNew
    );
  }

  /** What the next execution needs to go on from `elementId`; the trace keeps its latest entries. */
  resumeAt(elementId: string, viaFlow: string | undefined): RunResume {
    return {
      elementId,
      ...(viaFlow === undefined ? {} : { viaFlow }),
      trace: this.trace.slice(-TRACE_CARRIED_OVER),
      stepsExecuted: this.stepsExecuted,
      instances: Object.fromEntries(this.instances),
      usage: this.budget.usage,
    };
  }

  /** How many times this execution has now replayed the tool call `callKey` (1 for the first). */
  nextReplayOccurrence(callKey: string): number {
    const next = (this.replayedCalls.get(callKey) ?? 0) + 1;
    this.replayedCalls.set(callKey, next);
    return next;
  }

  get graph(): ProcessGraph {
    return this.scope.graph;
  }

  /** A key unique in the run for the next instance of an element: `<prefix><elementId>#<n>`. */
  nextKey(elementId: string): string {
    const next = (this.instances.get(elementId) ?? 0) + 1;
    this.instances.set(elementId, next);
    return `${this.keyPrefix}${elementId}#${next}`;
  }

  /** What a branch or multi-instance child reports back, counted as this execution's: trace, steps, usage. */
  absorb(child: BranchOutcome): void {
    this.trace.push(...child.trace);
    this.stepsExecuted += child.stepsExecuted;
    this.budget.charge(child.usage ?? NO_USAGE);
  }

  /** What this execution reports to the run that started it, with its variable changes. */
  childOutcome(changes: Variables): BranchOutcome {
    return { changes, trace: this.trace, stepsExecuted: this.stepsExecuted, usage: this.budget.usage };
  }

  activate(elementId: string): void {
    this.active.set(elementId, (this.active.get(elementId) ?? 0) + 1);
  }

  /** Ends one instance of an element and records it. */
  end(element: FlowElement, status: TraceEntry['status'], type = elementType(element)): void {
    const count = this.active.get(element.id) ?? 0;
    if (count <= 1) this.active.delete(element.id);
    else this.active.set(element.id, count - 1);
    this.trace.push({ elementId: element.id, type, status });
  }

  activeElements(): string[] {
    return [...this.active.keys()];
  }

  isActive(elementId: string): boolean {
    return this.active.has(elementId);
  }

  /** Parks the run on an incident until an operator resolves it; the caller then retries the element. */
  async parkIncident(incident: RunIncident): Promise<void> {
    this.incident = { elementId: incident.elementId, message: incident.message };
    await this.setStatus('incident', incident.message);
    await condition(() => this.resolution !== undefined);
    this.root.propagate(this.resolution?.variables ?? {});
    this.resolution = undefined;
    this.incident = undefined;
    await this.setStatus('running');
  }

  /** Accepts an operator's resolution; throws (rejecting the update) when no incident is open. */
  resolveIncident(request: ResolveIncidentRequest): void {
    if (!this.incident) throw new Error('the run has no open incident');
    this.resolution = request;
  }

  private async setStatus(status: RunStatus, error?: string): Promise<void> {
    this.status = status;
    upsertSearchAttributes([{ key: SearchAttributes.status, value: status }]);
    const { runId } = this.scope;
    await bookkeeping.recordRunStatus({
      runId,
      status,
      usage: this.budget.usage,
      ...(error ? { error } : {}),
    });
  }
}
