import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { isNetworkError } from '../resilience/network-errors.ts';

/**
 * True when a call failed because the connection is gone, not because the server refused it:
 * the transport closed (a stdio server exited), the network failed, or an HTTP server no longer
 * knows the session (it restarted; servers answer 404, or 400 as server-everything does).
 */
export function isBrokenConnection(error: unknown): boolean {
  if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed;
  if (error instanceof StreamableHTTPError) return error.code === 404 || error.code === 400;
  if (error instanceof Error && error.message === 'Not connected') return true;
  return isNetworkError(error);
}
