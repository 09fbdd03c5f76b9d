import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { RunId, StartRunRequest } from '../../schema/run.ts';
import { guardedTool, type McpAccess } from './guarded-tool.ts';
import { jsonResult } from './tool-result.ts';

/** run_routine and get_run_status. */
export function registerRunTools(server: McpServer, access: McpAccess): void {
  guardedTool(
    server,
    access,
    'run_routine',
    {
      title: 'Run a routine',
      description:
        'Start a run of a routine of the catalog (find_routines lists them) with input checked against its input schema. ' +
        'wait: true returns the outcome (for short routines); otherwise the run id, to follow with get_run_status.',
      inputSchema: z.strictObject({
        ...StartRunRequest.omit({ tenantId: true }).shape,
        wait: z.boolean().default(false).describe('wait for the run to end and return its outcome'),
      }),
    },
    async ({ wait, ...request }, { client, checkQuota }) => {
      await checkQuota('run');
      const started = await client.startRun(request);
      return jsonResult(wait ? await client.awaitRun(started.runId) : started);
    },
  );

  guardedTool(
    server,
    access,
    'get_run_status',
    {
      title: 'Get a run',
      description:
        "A run's live state: status, where its tokens are, variables, trace, incident and pending approvals.",
      inputSchema: z.strictObject({ runId: RunId }),
      annotations: { readOnlyHint: true },
    },
    async ({ runId }, { client }) => jsonResult(await client.getRunState(runId)),
  );
}
