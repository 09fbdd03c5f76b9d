import { randomUUID } from 'node:crypto';
import { RejectedRequest } from './stand-in-server.ts';

/** Anthropic's error body `{"type": "error", "error": {type, message}, "request_id"}`, from the "Errors" page. */
export function anthropicErrorBody(type: string, message: string) {
  return { type: 'error', error: { type, message }, request_id: newRequestId() };
}

/** Refuses the request with Anthropic's error shape. */
export function rejectAnthropic(status: number, type: string, message: string): never {
  throw new RejectedRequest({
    status,
    body: anthropicErrorBody(type, message),
    headers: { 'request-id': newRequestId() },
  });
}

/** A 400 `invalid_request_error`, the answer to every malformed request. */
export function invalidAnthropicRequest(message: string): never {
  return rejectAnthropic(400, 'invalid_request_error', message);
}

export function newRequestId(): string {
  return `req_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}
