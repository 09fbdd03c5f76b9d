/**
 * A strict local stand-in for OpenAI's embeddings endpoint, `POST /v1/embeddings` (and the OpenAI-
 * compatible servers that copy it: Ollama, vLLM, LM Studio). It refuses, with the real status and
 * error body `{"error": {message, type, param, code}}`, what the service documents refusing, and
 * answers valid requests in the real shape with deterministic vectors (the lexical features of each
 * text folded into the requested size, so similar texts get similar vectors).
 *
 * Rules it enforces (source in brackets):
 * 1. `Authorization: Bearer <key>` must carry the configured key: missing → 401; wrong → 401
 *    `invalid_api_key` "Incorrect API key provided: ...". [Error codes; API reference, "Authentication"]
 * 2. The body must be JSON → 400 "We could not parse the JSON body of your request...". [Error codes]
 * 3. `model` is required ("you must provide a model parameter"); a model not served → 404
 *    `model_not_found`. [Error codes; Embeddings API reference: model "required"]
 * 4. `input` is required: a string, an array of strings, an array of token integers or an array of
 *    token arrays. [Embeddings API reference: input "required", "string or array"]
 * 5. An input "cannot be an empty string", and an array must not be empty and has at most 2048 items.
 *    [Embeddings API reference: input]
 * 6. One input "must not exceed the max input tokens for the model (8192 tokens for all embedding
 *    models)": 400 "This model's maximum context length is 8192 tokens, however you requested N tokens..."
 *    (tokens estimated as characters / 4). All inputs of one request together at most 300,000 tokens.
 *    [Embeddings API reference: input; the API's error text]
 * 7. `dimensions` is an integer >= 1, "Only supported in text-embedding-3 and later models": a model
 *    flagged `dimensions: false` refuses it ("This model does not support specifying dimensions."), and
 *    it may not exceed the model's own size. [Embeddings API reference: dimensions; Embeddings guide,
 *    "Reducing embedding dimensions"]
 * 8. `encoding_format` is "float" or "base64" (the stand-in answers floats only; base64 → 400 here, a
 *    restriction of the stand-in, not of the service). [Embeddings API reference: encoding_format]
 * 9. Any other route → 404 "Invalid URL (<METHOD> <path>)". [OpenAI's answer to unknown URLs]
 * Answer: `{object: "list", data: [{object: "embedding", index, embedding}], model, usage: {prompt_tokens,
 * total_tokens}}`, one item per input, in input order. [Embeddings API reference: "The embedding object"]
 */
import { lexicalVector } from '../../../activities/knowledge/lexical-embedder.ts';
import { checkOpenAiApiKey, invalidOpenAiRequest, rejectOpenAi } from './openai-errors.ts';
import {
  type StandInRequest,
  type StandInResponse,
  type StandInServer,
  startStandInServer,
} from './stand-in-server.ts';
import { isRecord } from './tool-schema-shape.ts';

export interface EmbeddingModelSpec {
  /** The model's own vector size. */
  readonly size: number;
  /** Whether it takes `dimensions` (text-embedding-3 models do; ada-002 does not). */
  readonly dimensions: boolean;
}

export interface EmbeddingsStandIn extends StandInServer {
  readonly apiKey: string;
  /** `<url>/v1`, the base URL a client appends `/embeddings` to. */
  readonly baseURL: string;
  /** The parsed bodies of the embeddings requests received, valid or not. */
  embeddingRequests(): Record<string, unknown>[];
}

const maxInputTokens = 8192;
const maxRequestTokens = 300_000;
const maxInputs = 2048;

const defaultModels: Record<string, EmbeddingModelSpec> = {
  'text-embedding-3-small': { size: 1536, dimensions: true },
  'text-embedding-ada-002': { size: 1536, dimensions: false },
};

/** Starts the stand-in on 127.0.0.1 and a free port. Call `stop()` when done. */
export async function startEmbeddingsStandIn(
  options: { apiKey?: string; models?: Record<string, EmbeddingModelSpec> } = {},
): Promise<EmbeddingsStandIn> {
  const apiKey = options.apiKey ?? 'sk-stand-in';
  const models = options.models ?? defaultModels;
  const server = await startStandInServer('OpenAI embeddings stand-in', (request) =>
    route(request, apiKey, models),
  );
  return Object.assign(server, {
    apiKey,
    baseURL: `${server.url}/v1`,
    embeddingRequests: () =>
      server.requests
        .filter((request) => request.path === '/v1/embeddings' && isRecord(request.body))
        .map((request) => request.body as Record<string, unknown>),
  });
}

function route(
  request: StandInRequest,
  apiKey: string,
  models: Readonly<Record<string, EmbeddingModelSpec>>,
): StandInResponse {
  const endpoint = `${request.method} ${request.path}`;
  if (endpoint !== 'POST /v1/embeddings') rejectOpenAi(404, `Invalid URL (${endpoint})`);
  checkOpenAiApiKey(request.headers.authorization, apiKey);
  if (request.bodyIsInvalidJson || !isRecord(request.body)) {
    invalidOpenAiRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    );
  }
  const body = request.body;
  const model = body.model;
  if (typeof model !== 'string' || model === '') invalidOpenAiRequest('you must provide a model parameter');
  const spec = models[model];
  if (!spec) {
    rejectOpenAi(404, `The model \`${model}\` does not exist or you do not have access to it.`, {
      code: 'model_not_found',
    });
  }
  const inputs = checkInput(body.input);
  const size = checkDimensions(body.dimensions, spec, model);
  if (body.encoding_format !== undefined && body.encoding_format !== 'float') {
    if (body.encoding_format === 'base64')
      invalidOpenAiRequest('the stand-in answers encoding_format "float" only');
    invalidOpenAiRequest(
      `'${String(body.encoding_format)}' is not one of ['float', 'base64'] - 'encoding_format'`,
      'encoding_format',
    );
  }
  const tokens = inputs.map(estimateTokens);
  return {
    status: 200,
    body: {
      object: 'list',
      data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: embed(input, size) })),
      model,
      usage: { prompt_tokens: sum(tokens), total_tokens: sum(tokens) },
    },
  };
}

/** The inputs as texts (token arrays become their numbers joined), after rules 4 to 6. */
function checkInput(input: unknown): string[] {
  if (input === undefined) invalidOpenAiRequest("'input' is a required property", 'input');
  const isTokens = (value: unknown) => Array.isArray(value) && value.every((item) => Number.isInteger(item));
  let texts: string[];
  if (typeof input === 'string') texts = [input];
  else if (isTokens(input) && (input as unknown[]).length > 0) texts = [(input as number[]).join(' ')];
  else if (Array.isArray(input) && input.every((item) => typeof item === 'string')) texts = input as string[];
  else if (Array.isArray(input) && input.every(isTokens))
    texts = (input as number[][]).map((t) => t.join(' '));
  else {
    invalidOpenAiRequest(
      "'input' must be a string, an array of strings, an array of integers or an array of integer arrays",
      'input',
    );
  }
  if (texts.length === 0) invalidOpenAiRequest("'$.input' is invalid: an array must not be empty", 'input');
  if (texts.length > maxInputs) {
    invalidOpenAiRequest(`'$.input' is invalid: at most ${maxInputs} inputs in one request`, 'input');
  }
  if (texts.some((text) => text === '')) {
    invalidOpenAiRequest("'$.input' is invalid: an input cannot be an empty string", 'input');
  }
  for (const text of texts) {
    const tokens = estimateTokens(text);
    if (tokens > maxInputTokens) {
      invalidOpenAiRequest(
        `This model's maximum context length is ${maxInputTokens} tokens, however you requested ${tokens} tokens (${tokens} in your prompt; 0 for the completion). Please reduce your prompt; or completion length.`,
        null,
        'context_length_exceeded',
      );
    }
  }
  const total = sum(texts.map(estimateTokens));
  if (total > maxRequestTokens) {
    invalidOpenAiRequest(
      `Requested ${total} tokens, max ${maxRequestTokens} tokens per request`,
      'input',
      'max_tokens_per_request',
    );
  }
  return texts;
}

function checkDimensions(dimensions: unknown, spec: EmbeddingModelSpec, model: string): number {
  if (dimensions === undefined) return spec.size;
  if (!spec.dimensions)
    invalidOpenAiRequest('This model does not support specifying dimensions.', 'dimensions');
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1) {
    invalidOpenAiRequest(
      `Invalid 'dimensions': integer below minimum value. Expected a value >= 1, but got ${String(dimensions)} instead.`,
      'dimensions',
      'integer_below_min_value',
    );
  }
  if (dimensions > spec.size) {
    invalidOpenAiRequest(
      `Invalid 'dimensions': ${model} has at most ${spec.size} dimensions, but got ${dimensions} instead.`,
      'dimensions',
    );
  }
  return dimensions;
}

/** The text's lexical features folded into `size` dimensions and normalised: deterministic, similarity-preserving. */
function embed(text: string, size: number): number[] {
  const folded = new Array<number>(size).fill(0);
  for (const [index, value] of lexicalVector(text).entries()) {
    folded[index % size] = (folded[index % size] ?? 0) + value;
  }
  const norm = Math.hypot(...folded) || 1;
  return folded.map((value) => value / norm);
}

const estimateTokens = (text: string) => Math.ceil(text.length / 4);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
