import { RejectedRequest } from './stand-in-server.ts';

/** The fields of OpenAI's error body `{"error": {message, type, param, code}}`. */
export interface OpenAiErrorFields {
  readonly type?: string;
  readonly param?: string | null;
  readonly code?: string | null;
}

/** OpenAI's error body, as documented on the "Error codes" page and returned by the API. */
export function openAiErrorBody(message: string, fields: OpenAiErrorFields = {}) {
  return {
    error: {
      message,
      type: fields.type ?? 'invalid_request_error',
      param: fields.param ?? null,
      code: fields.code ?? null,
    },
  };
}

/** Refuses the request with OpenAI's error shape. */
export function rejectOpenAi(status: number, message: string, fields: OpenAiErrorFields = {}): never {
  throw new RejectedRequest({ status, body: openAiErrorBody(message, fields) });
}

/** A 400 `invalid_request_error`, the answer to every malformed request. */
export function invalidOpenAiRequest(
  message: string,
  param: string | null = null,
  code: string | null = null,
): never {
  return rejectOpenAi(400, message, { param, code });
}

/** `Authorization: Bearer <key>` must carry `apiKey`: missing or wrong → 401 with OpenAI's texts. [Error codes] */
export function checkOpenAiApiKey(authorization: string | undefined, apiKey: string): void {
  const key = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
  if (!key) {
    rejectOpenAi(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    );
  }
  if (key !== apiKey) {
    const shown = key.length > 8 ? `${key.slice(0, 3)}*****${key.slice(-4)}` : key;
    rejectOpenAi(
      401,
      `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      { code: 'invalid_api_key' },
    );
  }
}
