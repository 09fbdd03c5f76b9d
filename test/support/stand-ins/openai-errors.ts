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
