import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnknownRoutineVersionError } from '../../../activities/store/errors.ts';
import type { ApiServer } from '../../../client/api/server.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../../client/remote/swarmflow-client.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { bpmnProcess, flows, scriptTask } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/** `GET /v1/routines/:id/diff` through the remote SDK: the same diff as the direct SDK's, for a viewer. */

let stack: TestStack;
let server: ApiServer;
let tenantId: string;
let keys: Record<'viewer', string>;

beforeAll(async () => {
  stack = await startTestStack();
  ({ tenantId, keys } = await tenantWithKeys(stack, 'routine-diff', ['viewer']));
  server = await startTestApiServer(stack);
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

const model = (expression: string, extra = '') =>
  bpmnProcess(
    `<bpmn:startEvent id="start" />${scriptTask('double', expression, 'doubled')}${extra}<bpmn:endEvent id="end" />
     ${flows(['start', 'double'], ['double', 'end'])}`,
    'doubling',
  );

describe('routine diff over REST', { timeout: 60_000 }, () => {
  it('gives the direct SDK diff, and names a missing version', async () => {
    const direct = stack.client.forTenant(tenantId);
    await direct.registerRoutine({ id: 'doubling', body: { kind: 'bpmn', xml: model('amount * 2') } });
    await direct.registerRoutine({ id: 'doubling', body: { kind: 'bpmn', xml: model('amount + amount') } });
    const remote = new RemoteSwarmflowClient({ url: server.url, apiKey: keys.viewer });
    const diff = await remote.routineDiff('doubling', 1, 2);
    expect(diff).toEqual(await direct.routineDiff('doubling', 1, 2));
    expect(diff.elements).toEqual([
      expect.objectContaining({ id: 'double', change: 'changed', kind: 'workTask' }),
    ]);
    expect(diff.flows).toEqual([]);
    await expect(remote.routineDiff('doubling', 1, 7)).rejects.toBeInstanceOf(UnknownRoutineVersionError);
  });
});
