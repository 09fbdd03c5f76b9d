import type { JsonSchema } from '../../schema/json.ts';
import type { ChatMessage } from '../../schema/models.ts';
import type { McpToolDescriptor } from '../../schema/tools.ts';
import { runLlmTurn } from '../strategies/llm-turn.ts';
import { describeModelFailure } from './model-errors.ts';
import type { ModelNeed, ModelUse } from './model-needs.ts';
import type { ModelRegistry } from './model-registry.ts';

/** One capability's verdict; `detail` says why, in the provider's words when it refused. */
export interface CheckResult {
  status: 'ok' | 'failed' | 'skipped';
  detail?: string;
}

/** What `swarmflow models check` found of one configured model. */
export interface ModelCheckReport {
  model: string;
  endpoint: string;
  reachable: CheckResult;
  authenticated: CheckResult;
  /** The model exists on the server and answers a plain request. */
  answers: CheckResult;
  toolCalls: CheckResult;
  structuredOutput: CheckResult;
  usageReported: CheckResult;
  /** Wall time of the smallest request, when it answered. */
  latencyMs?: number;
  uses: ModelUse[];
  /** False when the model cannot do something one of its users needs, or cannot be reached at all. */
  ok: boolean;
}

const ADD_TOOL: McpToolDescriptor = {
  server: 'check',
  name: 'add',
  description: 'Adds two numbers and returns the sum.',
  inputSchema: {
    type: 'object',
    properties: { a: { type: 'number' }, b: { type: 'number' } },
    required: ['a', 'b'],
  },
  risk: 'low',
};
const SUM_SCHEMA: JsonSchema = { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] };
const skipped = (detail: string): CheckResult => ({ status: 'skipped', detail });

/**
 * Sends a model the smallest requests that show what works: one answer (reachable,
 * authenticated, usage, latency), a tool-call round trip, and a structured answer. The model's
 * own fallbacks are not used: each model is checked as itself.
 */
export async function checkModel(
  registry: ModelRegistry,
  name: string,
  uses: ModelUse[],
  signal: AbortSignal,
): Promise<ModelCheckReport> {
  const resolved = registry.resolve(name);
  const turn = (
    messages: ChatMessage[],
    extra: { tools?: McpToolDescriptor[]; outputSchema?: JsonSchema } = {},
  ) =>
    runLlmTurn({
      model: resolved.model,
      messages,
      structuredOutput: resolved.structuredOutput,
      toolTarget: resolved.toolTarget,
      signal,
      ...extra,
    });
  const report = (
    fields: Omit<ModelCheckReport, 'model' | 'endpoint' | 'uses' | 'ok'>,
  ): ModelCheckReport => ({
    model: name,
    endpoint: resolved.endpoint,
    uses,
    ...fields,
    ok: verdict(fields, uses),
  });
  let basic: Awaited<ReturnType<typeof turn>>;
  try {
    basic = await turn([{ role: 'user', text: 'Reply with the single word OK.' }]);
  } catch (error) {
    return report({ ...reachability(error, name), ...notTried('the first request failed') });
  }
  const usage = basic.usage.inputTokens + basic.usage.outputTokens;
  return report({
    reachable: { status: 'ok' },
    authenticated: { status: 'ok' },
    answers: { status: 'ok' },
    usageReported:
      usage > 0
        ? { status: 'ok', detail: `${basic.usage.inputTokens} in, ${basic.usage.outputTokens} out` }
        : { status: 'failed', detail: 'the server reported no token usage: the run is charged no tokens' },
    latencyMs: basic.durationMs,
    toolCalls: await checkToolCalls(turn, name),
    structuredOutput: await checkStructuredOutput(turn, name),
  });
}

type Turn = (
  messages: ChatMessage[],
  extra?: { tools?: McpToolDescriptor[]; outputSchema?: JsonSchema },
) => ReturnType<typeof runLlmTurn>;

/** A call of the `add` tool, its result sent back, and a final answer with the sum. */
async function checkToolCalls(turn: Turn, name: string): Promise<CheckResult> {
  const conversation: ChatMessage[] = [
    { role: 'user', text: 'Use the add tool to add 2 and 3, then tell me the sum.' },
  ];
  try {
    const first = await turn(conversation, { tools: [ADD_TOOL] });
    const call = first.message.toolCalls[0];
    if (!call)
      return {
        status: 'failed',
        detail: `answered without calling the tool: "${first.message.text.slice(0, 80)}"`,
      };
    if (call.name !== 'check__add')
      return { status: 'failed', detail: `called an unknown tool "${call.name}"` };
    conversation.push(
      first.message,
      ...first.message.toolCalls.map((c) => ({ role: 'tool' as const, toolCallId: c.id, text: '5' })),
    );
    const second = await turn(conversation, { tools: [ADD_TOOL] });
    return second.message.toolCalls.length === 0
      ? { status: 'ok', detail: `round trip answered "${second.message.text.slice(0, 40)}"` }
      : { status: 'failed', detail: 'kept calling tools after the result came back' };
  } catch (error) {
    return { status: 'failed', detail: failureDetail(error, name) };
  }
}

async function checkStructuredOutput(turn: Turn, name: string): Promise<CheckResult> {
  try {
    const answer = await turn([{ role: 'user', text: 'What is 2 + 3? Give the sum.' }], {
      outputSchema: SUM_SCHEMA,
    });
    const how = answer.structuredOutput ?? 'prompt';
    if (answer.output?.valid) return { status: 'ok', detail: `by ${how}` };
    return { status: 'failed', detail: `by ${how}: ${answer.output?.problems.join('; ') ?? 'no answer'}` };
  } catch (error) {
    return { status: 'failed', detail: failureDetail(error, name) };
  }
}

/** Whether the first request's failure came before or after the server answered, and what it said. */
function reachability(
  error: unknown,
  name: string,
): Pick<ModelCheckReport, 'reachable' | 'authenticated' | 'answers'> {
  const failure = describeModelFailure(error, name);
  const detail = failureDetail(error, name);
  if (failure === undefined) {
    return {
      reachable: { status: 'failed', detail },
      authenticated: skipped('not reached'),
      answers: skipped('not reached'),
    };
  }
  if (failure.kind === 'unauthorized' || failure.kind === 'forbidden') {
    return {
      reachable: { status: 'ok' },
      authenticated: { status: 'failed', detail },
      answers: skipped('not authenticated'),
    };
  }
  return {
    reachable: { status: 'ok' },
    authenticated: { status: 'ok' },
    answers: { status: 'failed', detail },
  };
}

function notTried(why: string): Pick<ModelCheckReport, 'toolCalls' | 'structuredOutput' | 'usageReported'> {
  return { toolCalls: skipped(why), structuredOutput: skipped(why), usageReported: skipped(why) };
}

function failureDetail(error: unknown, name: string): string {
  return (
    describeModelFailure(error, name)?.message ?? (error instanceof Error ? error.message : String(error))
  );
}

/** A model passes when it answered and can do everything its users need. */
function verdict(
  fields: Pick<ModelCheckReport, 'answers' | 'toolCalls' | 'structuredOutput'>,
  uses: ModelUse[],
): boolean {
  if (fields.answers.status !== 'ok') return false;
  const needs = new Set<ModelNeed>(uses.map((use) => use.need));
  if (needs.has('tools') && fields.toolCalls.status !== 'ok') return false;
  return !(needs.has('structured-output') && fields.structuredOutput.status !== 'ok');
}
