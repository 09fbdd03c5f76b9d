import { decideToolCall, type McpToolDescriptor, type ToolPolicy } from '../../schema/tools.ts';
import { PolicyError } from '../resilience/errors.ts';

/**
 * The last line of defence in the activity: a call the deployment's policy denies never runs.
 * Approvals are asked for by the workflow, before it schedules the call.
 */
export function assertNotDenied(policy: ToolPolicy, tool: McpToolDescriptor): void {
  const verdict = decideToolCall([{ source: 'deployment', policy }], tool);
  if (verdict.decision === 'deny') {
    throw new PolicyError(`tool ${tool.server}/${tool.name} is denied by the ${verdict.reason}`);
  }
}
