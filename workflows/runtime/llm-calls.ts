import { isCancellation, proxyActivities } from '@temporalio/workflow';
import type { SwarmflowActivities } from '../../activities/index.ts';
import type { LlmWork } from '../../schema/graph.ts';
import type { JsonValue } from '../../schema/json.ts';
import type { LlmStepRecord } from '../../schema/llm-step.ts';
import type { ChatMessage, LlmTurnOutcome } from '../../schema/models.ts';
import type { McpToolDescriptor, ToolCallOutcome, ToolCatalog } from '../../schema/tools.ts';
import { addUsage, type Usage } from '../../schema/usage.ts';
import { rootMessage } from '../failures.ts';
import { RunIncident } from '../navigator/incident.ts';
import type { RunContext } from './run-context.ts';

/**
 * The calls one LLM step makes, each an activity recorded once in history: LLM turns and tool
 * calls (checked against the run's budget first, metered into the step and the run) and the
 * tool catalog. A call that fails after its retries fails the step: an incident on its element.
 */
export class LlmCalls {
  private readonly activities: SwarmflowActivities;
  private callsAsked = 0;

  constructor(
    readonly run: RunContext,
    readonly elementId: string,
    readonly work: LlmWork,
    readonly record: LlmStepRecord,
  ) {
    const { limits } = run.scope;
    this.activities = proxyActivities<SwarmflowActivities>({
      startToCloseTimeout: work.timeoutMs ?? limits.stepTimeoutMs,
      retry: { maximumAttempts: (work.retries ?? limits.stepRetries) + 1 },
    });
  }

  /** One LLM turn: the conversation so far, the tools the model may call, the answer's schema. */
  async turn(messages: ChatMessage[], tools: McpToolDescriptor[]): Promise<LlmTurnOutcome> {
    await this.run.budget.allow('turn', this.elementId);
    const { model, outputSchema } = this.work;
    const outcome = await this.orIncident('LLM turn', () =>
      this.activities.llmTurn({
        messages,
        tools,
        ...(model === undefined ? {} : { model }),
        ...(outputSchema === undefined ? {} : { outputSchema }),
      }),
    );
    this.record.turns += 1;
    this.record.model = outcome.model;
    if (outcome.structuredOutput) this.record.structuredOutput = outcome.structuredOutput;
    this.charge(outcome.usage);
    return outcome;
  }

  /** One tool call; its idempotency key is derived from the workflow and activity ids. */
  async callTool(tool: McpToolDescriptor, args: Record<string, JsonValue>): Promise<ToolCallOutcome> {
    await this.run.budget.allow('toolCall', this.elementId);
    const outcome = await this.orIncident(`tool call ${tool.server}/${tool.name}`, () =>
      this.activities.callMcpTool({ server: tool.server, tool: tool.name, args }),
    );
    this.record.toolCalls += 1;
    this.charge(outcome.usage);
    return outcome;
  }

  /** The tools of the deployment's MCP servers and its tool policy. */
  catalog(): Promise<ToolCatalog> {
    return this.orIncident('listing the MCP tools', () => this.activities.listMcpTools());
  }

  /** A run-unique id for the next tool call the model asks for: `<step key>/call-<n>`. */
  nextCallId(): string {
    this.callsAsked += 1;
    return `${this.record.stepKey}/call-${this.callsAsked}`;
  }

  /** Whether the step's own limit leaves room for another tool call. */
  mayCallTools(): boolean {
    return this.work.maxToolCalls === undefined || this.record.toolCalls < this.work.maxToolCalls;
  }

  /** A step failure: the element's incident, the runtime's way of failing a step. */
  fail(reason: string): RunIncident {
    return new RunIncident(this.elementId, reason);
  }

  private charge(usage: Usage): void {
    this.record.usage = addUsage(this.record.usage, usage);
    this.run.budget.charge(usage);
  }

  private async orIncident<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isCancellation(error)) throw error;
      throw this.fail(`${what} failed: ${rootMessage(error)}`);
    }
  }
}
