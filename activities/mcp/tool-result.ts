import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { JsonValue } from '../../schema/json.ts';
import type { ToolResult } from '../../schema/tools.ts';

type ContentBlock = CallToolResult['content'][number];

/** A tool's response as Swarmflow keeps it: structured content if any, its content as text, its error flag. */
export function toToolResult(response: CallToolResult): ToolResult {
  const text = response.content.map(blockText).join('\n');
  const structuredContent = response.structuredContent as Record<string, JsonValue> | undefined;
  return { ...(structuredContent ? { structuredContent } : {}), text, isError: response.isError === true };
}

/** Text as it is; embedded text resources by their text; anything binary or linked by a short note. */
function blockText(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'resource':
      return 'text' in block.resource ? block.resource.text : `[resource ${block.resource.uri}]`;
    case 'resource_link':
      return `[resource ${block.uri}]`;
    default:
      return `[${block.type} ${block.mimeType}]`;
  }
}
