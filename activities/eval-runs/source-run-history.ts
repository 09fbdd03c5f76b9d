import type { Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow/codec-helpers.js';
import { canonicalJson } from '../../schema/canonical-json.ts';
import type { ToolCallOutcome, ToolCallRequestInput } from '../../schema/tools.ts';
import { NO_USAGE } from '../../schema/usage.ts';
import type { ReplayToolCallRequest } from './contract.ts';

/**
 * The MCP tool calls a recorded run made, read from its workflow's history (the latest execution
 * of `run/<run id>`): each `callMcpTool` activity's request and, when it completed, its result.
 * Calls made in a run's branch or multi-instance child workflows, or in an execution before it
 * continued as new, are not read.
 */
export async function recordedToolCalls(
  temporal: Client,
  runId: string,
): Promise<{ request: ToolCallRequestInput; result: ToolCallOutcome }[]> {
  const history = await temporal.workflow.getHandle(`run/${runId}`).fetchHistory();
  const converter = temporal.options.loadedDataConverter;
  const requests = new Map<string, ToolCallRequestInput>();
  const calls: { request: ToolCallRequestInput; result: ToolCallOutcome }[] = [];
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'callMcpTool') {
      const [request] = await decodeArrayFromPayloads(converter, scheduled.input?.payloads);
      requests.set(String(event.eventId), request as ToolCallRequestInput);
      continue;
    }
    const completed = event.activityTaskCompletedEventAttributes;
    const request = completed ? requests.get(String(completed.scheduledEventId)) : undefined;
    if (!completed || !request) continue;
    const [result] = await decodeArrayFromPayloads(converter, completed.result?.payloads);
    calls.push({ request, result: result as ToolCallOutcome });
  }
  return calls;
}

/**
 * The recorded result of the `occurrence`-th call with the same server, tool and arguments
 * (canonical JSON), in the order the calls completed; metered as nothing, since nothing ran.
 */
export function matchingCall(
  calls: { request: ToolCallRequestInput; result: ToolCallOutcome }[],
  request: ReplayToolCallRequest,
): ToolCallOutcome | null {
  const wanted = canonicalJson(request.args);
  const same = calls.filter(
    (call) =>
      call.request.server === request.server &&
      call.request.tool === request.tool &&
      canonicalJson(call.request.args ?? {}) === wanted,
  );
  const found = same[request.occurrence - 1];
  return found ? { ...found.result, usage: { ...NO_USAGE } } : null;
}
