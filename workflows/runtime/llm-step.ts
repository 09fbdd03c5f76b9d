import { openingMessages } from '../../activities/strategies/prompt.ts';
import { canonicalJson } from '../../schema/canonical-json.ts';
import { fingerprint } from '../../schema/fingerprint.ts';
import type { LlmWork } from '../../schema/graph.ts';
import type { JsonValue, Variables } from '../../schema/json.ts';
import type { LlmStepRecord } from '../../schema/llm-step.ts';
import type { ChatMessage, LlmTurnOutcome } from '../../schema/models.ts';
import { type StrategyDecision, selectStrategy } from '../../schema/strategy.ts';
import { globMatches, type McpToolDescriptor, type ToolPolicy } from '../../schema/tools.ts';
import { NO_USAGE } from '../../schema/usage.ts';
import { ValidationError } from '../../schema/validation.ts';
import { LlmCalls } from './llm-calls.ts';
import { LlmStepEnding } from './llm-step-ending.ts';
import type { RunContext } from './run-context.ts';
import { answerToolCall } from './tool-calls.ts';

type Answer = { value: JsonValue } | { feedback: ChatMessage };

/**
 * An LLM step: selects its strategy (the step's, else the routine's, else the rule; a sensitive
 * step never goes to an LLM), renders its prompt from the step's variables, and answers it,
 * conversationally (one answer) or reasoning (turns with tool calls until a final answer).
 * The answer, checked against the output schema when there is one, is `resultVariable`.
 */
export async function runLlmStep(
  run: RunContext,
  task: { id: string; bpmnType: string; work: LlmWork },
  stepKey: string,
  variables: Variables,
): Promise<Variables> {
  const { work } = task;
  const decision = selectStrategy(
    { strategy: work.strategy, prompt: work.prompt, tools: work.tools, sensitive: work.sensitive },
    work.routine?.strategy,
  );
  const record: LlmStepRecord = {
    stepKey,
    elementId: task.id,
    ...decision,
    status: 'running',
    turns: 0,
    toolCalls: 0,
    usage: { ...NO_USAGE },
  };
  run.llmSteps.push(record);
  const ending = new LlmStepEnding(run, task.bpmnType, record);
  const calls = new LlmCalls(run, task.id, work, record);
  let value: JsonValue;
  try {
    value = await answer(calls, decision, variables, record);
  } catch (error) {
    await ending.failed(error);
    throw error;
  }
  const output = { [work.resultVariable]: value };
  await ending.completed(output);
  return output;
}

async function answer(
  calls: LlmCalls,
  decision: StrategyDecision,
  variables: Variables,
  record: LlmStepRecord,
): Promise<JsonValue> {
  if (decision.strategy !== 'conversational' && decision.strategy !== 'reasoning')
    throw calls.fail(decision.reason);
  const messages = opening(calls, variables);
  // What the step asked, named shortly: insights find LLM steps whose output is a function of it.
  record.inputHash = fingerprint(canonicalJson(messages));
  return decision.strategy === 'conversational' ? converse(calls, messages) : reason(calls, messages);
}

/** The system and user messages, rendered; a placeholder without a value fails the step. */
function opening(calls: LlmCalls, variables: Variables): ChatMessage[] {
  const { prompt, system } = calls.work;
  try {
    return openingMessages({ user: prompt, ...(system === undefined ? {} : { system }) }, variables);
  } catch (error) {
    if (error instanceof ValidationError) throw calls.fail(`prompt: ${error.problems.join('; ')}`);
    throw error;
  }
}

/** One answer, asked again (bounded) while it does not match the output schema. */
async function converse(calls: LlmCalls, conversation: ChatMessage[]): Promise<JsonValue> {
  const check = answerChecker(calls);
  for (;;) {
    const turn = await calls.turn(conversation, []);
    const checked = check(turn);
    if ('value' in checked) return checked.value;
    conversation.push(turn.message, checked.feedback);
  }
}

/**
 * Turns until the model answers without calling tools, each tool call answered in order. Past
 * the step's tool call limit no tools are offered; past its turn limit the step fails.
 */
async function reason(calls: LlmCalls, conversation: ChatMessage[]): Promise<JsonValue> {
  const { tools, policy } = await offeredTools(calls);
  const check = answerChecker(calls);
  let offered = tools;
  for (let turns = 0; turns < calls.work.maxTurns; turns++) {
    const turn = await calls.turn(conversation, offered);
    conversation.push(turn.message);
    if (turn.message.toolCalls.length === 0) {
      const checked = check(turn);
      if ('value' in checked) return checked.value;
      conversation.push(checked.feedback);
      continue;
    }
    for (const call of turn.message.toolCalls) {
      conversation.push(await answerToolCall(calls, call, tools, policy));
    }
    if (!calls.mayCallTools()) offered = [];
  }
  throw calls.fail(`no final answer within the step's limit of ${calls.work.maxTurns} turns`);
}

/** The deployment's tools the step's globs name, and the deployment's tool policy. */
async function offeredTools(calls: LlmCalls): Promise<{ tools: McpToolDescriptor[]; policy: ToolPolicy }> {
  const globs = calls.work.tools;
  if (globs.length === 0) return { tools: [], policy: { rules: [] } };
  const catalog = await calls.catalog();
  const tools = catalog.tools.filter((tool) =>
    globs.some((glob) => globMatches(glob, `${tool.server}/${tool.name}`)),
  );
  if (tools.length > 0) return { tools, policy: catalog.policy };
  const servers = [...new Set(catalog.tools.map((tool) => tool.server))].join(', ') || 'none';
  throw calls.fail(`tools ${globs.join(', ')} match no tool of the configured MCP servers (${servers})`);
}

/** Reads final answers; an answer not matching the schema is sent back, until `maxOutputRetries`. */
function answerChecker(calls: LlmCalls): (turn: LlmTurnOutcome) => Answer {
  let invalid = 0;
  return ({ message, output }) => {
    if (output === undefined) return { value: message.text };
    if (output.valid) return { value: output.value };
    invalid += 1;
    if (invalid > calls.work.maxOutputRetries) {
      const problems = output.problems.join('; ');
      throw calls.fail(`the answer does not match the output schema after ${invalid} tries: ${problems}`);
    }
    return { feedback: output.feedback };
  };
}
