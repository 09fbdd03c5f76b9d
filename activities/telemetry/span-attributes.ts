import type { Attributes } from '@opentelemetry/api';

/**
 * Span attributes after the OpenTelemetry GenAI semantic conventions (incubating, so spelled out
 * here as the conventions advise rather than imported) and Swarmflow's own.
 */
export const GenAi = {
  operationName: 'gen_ai.operation.name',
  /** The older name of the provider attribute; both are set, as backends read one or the other. */
  system: 'gen_ai.system',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  finishReasons: 'gen_ai.response.finish_reasons',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  errorType: 'error.type',
  mcpMethodName: 'mcp.method.name',
} as const;

export const SwarmflowAttr = {
  workflowId: 'swarmflow.workflow_id',
  runId: 'swarmflow.run_id',
  swarmId: 'swarmflow.swarm_id',
  /** The configured model name (the deployment config's key), beside the provider's model id. */
  model: 'swarmflow.model',
  mcpServer: 'swarmflow.mcp.server',
  credits: 'swarmflow.usage.credits',
} as const;

/** A configured model as the GenAI spans name it. */
export interface ModelIdentity {
  /** The configured name (the key in the deployment config's `models`). */
  name: string;
  /** The deployment config's provider: openai (any OpenAI-compatible server), anthropic, scripted. */
  provider: string;
  /** The provider's model id (`gpt-4o`); the configured name when the provider has none (scripted). */
  modelId: string;
}

/** The `gen_ai.provider.name` of a configured provider: the conventions' names, `swarmflow.scripted` for the offline one. */
export function genAiProviderName(provider: string): string {
  return provider === 'scripted' ? 'swarmflow.scripted' : provider;
}

/** The span name of a chat turn: `chat <model id>`. */
export function chatSpanName(model: ModelIdentity): string {
  return `chat ${model.modelId}`;
}

/** What a chat span knows when it starts: the operation, the provider and the model asked for. */
export function chatRequestAttributes(requested: ModelIdentity): Attributes {
  const provider = genAiProviderName(requested.provider);
  return {
    [GenAi.operationName]: 'chat',
    [GenAi.system]: provider,
    [GenAi.providerName]: provider,
    [GenAi.requestModel]: requested.modelId,
    [SwarmflowAttr.model]: requested.name,
  };
}

/** What a turn's reply adds: the model that answered (a fallback, maybe), its token usage and why it stopped. */
export function chatResponseAttributes(reply: {
  answeredBy: ModelIdentity;
  inputTokens: number;
  outputTokens: number;
  toolCalls: number;
  credits?: number;
}): Attributes {
  const provider = genAiProviderName(reply.answeredBy.provider);
  return {
    [GenAi.responseModel]: reply.answeredBy.modelId,
    [GenAi.system]: provider,
    [GenAi.providerName]: provider,
    [SwarmflowAttr.model]: reply.answeredBy.name,
    [GenAi.inputTokens]: reply.inputTokens,
    [GenAi.outputTokens]: reply.outputTokens,
    // The turn's reply either asks for tools or is final: the conventions' two finish reasons for those.
    [GenAi.finishReasons]: [reply.toolCalls > 0 ? 'tool_calls' : 'stop'],
    ...(reply.credits === undefined ? {} : { [SwarmflowAttr.credits]: reply.credits }),
  };
}

/** The span name of an MCP tool call: `execute_tool <tool>`. */
export function toolSpanName(tool: string): string {
  return `execute_tool ${tool}`;
}

/** What a tool call's span says of the call: the operation, the tool and its MCP server. */
export function toolCallAttributes(server: string, tool: string): Attributes {
  return {
    [GenAi.operationName]: 'execute_tool',
    [GenAi.toolName]: tool,
    [GenAi.toolType]: 'extension',
    [GenAi.mcpMethodName]: 'tools/call',
    [SwarmflowAttr.mcpServer]: server,
  };
}

/** The `error.type` of a failure: its name (`CircuitOpenError`), else `_OTHER` as the conventions say. */
export function errorType(error: unknown): string {
  if (error instanceof Error) {
    const type = 'type' in error && typeof error.type === 'string' ? error.type : undefined;
    return type ?? error.name;
  }
  return '_OTHER';
}

/**
 * The attributes that find one run's or swarm's spans in a trace search: the workflow id, and the
 * run or swarm id it names (`run/<id>`, `swarm/<id>`).
 */
export function workflowAttributes(workflowId: string): Attributes {
  const [kind, ...rest] = workflowId.split('/');
  const id = rest.join('/');
  return {
    [SwarmflowAttr.workflowId]: workflowId,
    ...(kind === 'run' && id !== '' ? { [SwarmflowAttr.runId]: id } : {}),
    ...(kind === 'swarm' && id !== '' ? { [SwarmflowAttr.swarmId]: id } : {}),
  };
}
