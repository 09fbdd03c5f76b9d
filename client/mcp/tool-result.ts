import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A tool's answer as JSON text for any client, and as structured content when it is an object. */
export function jsonResult(value: unknown): CallToolResult {
  const structured =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { structuredContent: value as Record<string, unknown> }
      : {};
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], ...structured };
}
