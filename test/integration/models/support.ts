import type { SwarmflowClient } from '../../../client/sdk.ts';
import {
  type AnthropicReply,
  anthropicErrorBody,
  startAnthropicStandIn,
} from '../../support/stand-ins/anthropic-messages.ts';
import { type OpenAiReply, startOpenAiStandIn } from '../../support/stand-ins/openai-chat.ts';
import type { ValidRequest } from '../../support/stand-ins/scripted-stand-in.ts';
import type { RecordedRejection } from '../../support/stand-ins/stand-in-server.ts';
import { isRecord } from '../../support/stand-ins/tool-schema-shape.ts';

/**
 * The two strict provider stand-ins behind one face, for contract tests that run the same scenario
 * against each: a "brain" sees a provider-neutral view of each request (what was asked, which tools
 * were offered and called, the last tool results) and answers like a model would; the adapters turn
 * its answer into the provider's reply.
 */

export type Provider = 'openai' | 'anthropic';
export const providers: Provider[] = ['openai', 'anthropic'];

/** A request as a model sees it, whatever the provider's wire format. */
export interface ModelView {
  readonly provider: Provider;
  readonly model: string;
  readonly system: string;
  /** The user texts of the conversation, in order. */
  readonly userTexts: readonly string[];
  /** The tools the assistant called so far, by the name the provider saw, in order. */
  readonly called: readonly string[];
  /** The texts of the tool results the request ends with (empty when it ends with a user text). */
  readonly lastResults: readonly string[];
  /** The names of the tools offered. */
  readonly tools: readonly string[];
  /** How the request asks for a structured answer natively, if it does. */
  readonly structured?: 'json_schema' | 'tool';
}

export type ModelAnswer =
  | { readonly text: string }
  | { readonly toolCalls: readonly { name: string; args: Record<string, unknown> }[] }
  | { readonly json: unknown };

/** Answers a request; a promise holds the request open until it settles. */
export type Brain = (view: ModelView) => ModelAnswer | Promise<ModelAnswer>;

export interface ProviderStandIn {
  readonly provider: Provider;
  /** The model name the stand-in serves. */
  readonly model: string;
  /** The deployment's model config for it (its key in `apiKeyEnv`, set in process.env and in `env`). */
  modelConfig(extra?: Record<string, unknown>): Record<string, unknown>;
  /** The environment a worker process needs for the key. */
  readonly env: Record<string, string>;
  /** The parsed bodies of the model requests received. */
  bodies(): Record<string, unknown>[];
  /** The requests refused for breaking a rule (not faults the test injected). */
  realRejections(): RecordedRejection[];
  /** Rejections of every kind, injected faults included. */
  readonly rejections: RecordedRejection[];
  /** The provider's "overloaded" answer to the next request: Anthropic's 529, OpenAI's 503. */
  overloadNext(): void;
  stop(): Promise<void>;
}

export interface StandInSetup {
  readonly brain: Brain;
  /** The model name served; defaults per provider. */
  readonly model?: string;
}

let keys = 0;

/** What differs between the two stand-ins once started. */
interface Started {
  readonly model: string;
  readonly baseURL: string;
  readonly apiKey: string;
  readonly server: { readonly rejections: RecordedRejection[]; stop(): Promise<void> };
  bodies(): Record<string, unknown>[];
  overloadNext(): void;
}

/** Starts the provider's stand-in answering with `brain`. */
export async function startProviderStandIn(
  provider: Provider,
  { brain, model }: StandInSetup,
): Promise<ProviderStandIn> {
  const keyEnv = `SWARMFLOW_TEST_${provider.toUpperCase()}_KEY_${process.pid}_${++keys}`;
  const started =
    provider === 'openai' ? await startOpenAi(brain, model) : await startAnthropic(brain, model);
  process.env[keyEnv] = started.apiKey;
  return {
    provider,
    model: started.model,
    env: { [keyEnv]: started.apiKey },
    modelConfig: (extra = {}) => ({
      provider,
      model: started.model,
      baseURL: started.baseURL,
      apiKeyEnv: keyEnv,
      ...extra,
    }),
    bodies: () => started.bodies(),
    realRejections: () => started.server.rejections.filter((rejection) => !rejection.injected),
    rejections: started.server.rejections,
    overloadNext: () => started.overloadNext(),
    stop: () => started.server.stop(),
  };
}

async function startOpenAi(brain: Brain, model = 'gpt-4o-mini'): Promise<Started> {
  const standIn = await startOpenAiStandIn({
    apiKey: `sk-test-${keys}`,
    models: { [model]: {} },
    defaultResponder: async (request) => openAiReply(await brain(openAiView(request))),
  });
  const overloaded = { message: 'The server is overloaded or not ready yet.', type: 'server_error' };
  return {
    model,
    baseURL: standIn.baseURL,
    apiKey: standIn.apiKey,
    server: standIn,
    bodies: () => standIn.chatRequests(),
    overloadNext: () => standIn.enqueueError(503, { error: { ...overloaded, param: null, code: null } }),
  };
}

async function startAnthropic(brain: Brain, model = 'claude-sonnet-4-5'): Promise<Started> {
  const standIn = await startAnthropicStandIn({
    apiKey: `sk-ant-test-${keys}`,
    models: { [model]: {} },
    defaultResponder: async (request) => anthropicReply(await brain(anthropicView(request))),
  });
  return {
    model,
    baseURL: standIn.baseURL,
    apiKey: standIn.apiKey,
    server: standIn,
    bodies: () => standIn.messageRequests(),
    overloadNext: () => standIn.enqueueError(529, anthropicErrorBody('overloaded_error', 'Overloaded')),
  };
}

/** One stand-in per provider, each answering with the brain `brainFor` gives it. */
export async function startStandIns(
  brainFor: (provider: Provider) => Brain,
): Promise<Map<Provider, ProviderStandIn>> {
  const standIns = new Map<Provider, ProviderStandIn>();
  for (const provider of providers) {
    standIns.set(provider, await startProviderStandIn(provider, { brain: brainFor(provider) }));
  }
  return standIns;
}

/** Stops the stand-ins `startStandIns` started. */
export async function stopStandIns(standIns: ReadonlyMap<Provider, ProviderStandIn>): Promise<void> {
  await Promise.all([...standIns.values()].map((standIn) => standIn.stop()));
}

/** A deployment's models: one per stand-in, named by `name`, configured with `extra`. */
export function standInModels(
  standIns: ReadonlyMap<Provider, ProviderStandIn>,
  name: (provider: Provider) => string = (provider) => provider,
  extra: Record<string, unknown> = {},
): Record<string, never> {
  return Object.fromEntries(
    [...standIns].map(([provider, standIn]) => [name(provider), standIn.modelConfig(extra) as never]),
  );
}

/** Registers a routine of one sequence step. */
export async function registerOneStep(
  client: SwarmflowClient,
  routineId: string,
  step: Record<string, unknown>,
  limits: Record<string, unknown> = {},
): Promise<void> {
  await client.registerRoutine({ id: routineId, body: { kind: 'sequence', steps: [step as never] }, limits });
}

function openAiReply(answer: ModelAnswer): OpenAiReply {
  if ('toolCalls' in answer)
    return { toolCalls: answer.toolCalls.map(({ name, args }) => ({ name, arguments: args })) };
  return answer;
}

function anthropicReply(answer: ModelAnswer): AnthropicReply {
  if ('toolCalls' in answer)
    return { toolUses: answer.toolCalls.map(({ name, args }) => ({ name, input: args })) };
  return answer;
}

/** The text of a content value: a string, or the text of its text blocks (tool_result blocks' content too). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) => {
      if (!isRecord(block)) return '';
      if (block.type === 'text') return String(block.text ?? '');
      if (block.type === 'tool_result') return textOf(block.content);
      return '';
    })
    .join('\n');
}

function openAiView({ body }: ValidRequest): ModelView {
  const messages = (body.messages as Record<string, unknown>[]) ?? [];
  const trailing: string[] = [];
  for (const message of [...messages].reverse()) {
    if (message.role !== 'tool') break;
    trailing.unshift(textOf(message.content));
  }
  const format = isRecord(body.response_format) ? body.response_format.type : undefined;
  return {
    provider: 'openai',
    model: String(body.model),
    system: messages
      .filter((message) => message.role === 'system' || message.role === 'developer')
      .map((message) => textOf(message.content))
      .join('\n'),
    userTexts: messages
      .filter((message) => message.role === 'user')
      .map((message) => textOf(message.content)),
    called: messages.flatMap((message) =>
      Array.isArray(message.tool_calls)
        ? message.tool_calls.map((call) =>
            isRecord(call) && isRecord(call.function) ? String(call.function.name) : '',
          )
        : [],
    ),
    lastResults: trailing,
    tools: Array.isArray(body.tools)
      ? body.tools.map((tool) =>
          isRecord(tool) && isRecord(tool.function) ? String(tool.function.name) : '',
        )
      : [],
    ...(format === 'json_schema' ? { structured: 'json_schema' as const } : {}),
  };
}

function anthropicView({ body }: ValidRequest): ModelView {
  const messages = (body.messages as Record<string, unknown>[]) ?? [];
  const blocksOf = (message: Record<string, unknown>) =>
    Array.isArray(message.content) ? message.content.filter(isRecord) : [];
  const last = messages.at(-1);
  const lastResults =
    last?.role === 'user'
      ? blocksOf(last)
          .filter((block) => block.type === 'tool_result')
          .map((block) => textOf(block.content))
      : [];
  const forced = isRecord(body.tool_choice) && body.tool_choice.type === 'tool';
  return {
    provider: 'anthropic',
    model: String(body.model),
    system: textOf(body.system),
    userTexts: messages
      .filter((message) => message.role === 'user')
      .map((message) =>
        typeof message.content === 'string'
          ? message.content
          : blocksOf(message)
              .filter((block) => block.type === 'text')
              .map((block) => String(block.text))
              .join('\n'),
      )
      .filter((text) => text !== ''),
    called: messages.flatMap((message) =>
      blocksOf(message)
        .filter((block) => block.type === 'tool_use')
        .map((block) => String(block.name)),
    ),
    lastResults,
    tools: Array.isArray(body.tools)
      ? body.tools.map((tool) => (isRecord(tool) ? String(tool.name) : ''))
      : [],
    ...(forced ? { structured: 'tool' as const } : {}),
  };
}

/** A step asking `model` to add a and b with get-sum of server-everything. */
export function addStep(model: string): Record<string, unknown> {
  return { id: 'add', prompt: 'Add {{ a }} and {{ b }} with the tool', model, tools: ['everything/get-sum'] };
}
