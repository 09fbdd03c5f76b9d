import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSteps } from '../../../activities/store/run-read-model.ts';
import { bpmnProcess, flows, serviceTask } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { isRecord } from '../../support/stand-ins/tool-schema-shape.ts';
import { everythingServer, scheduledActivities, waitForState } from '../tier3-runs/support/runs.ts';
import * as models from './support.ts';
import { addStep, type Brain, type Provider, type ProviderStandIn } from './support.ts';

/**
 * Contract: LLM steps against each provider's strict stand-in. A BPMN LLM task calls a tool of
 * server-everything; a step with an output schema is answered natively (OpenAI json_schema,
 * Anthropic's forced tool); a tool call whose approval is rejected mid-turn is answered to the
 * model. No request is refused.
 */

const sumSchema = {
  type: 'object',
  required: ['sum'],
  properties: { sum: { type: 'number' }, note: { type: 'string' } },
};

/**
 * Adds with get-sum, then answers from the tool's result; says so when the call was refused. Asked
 * natively for a structured answer, it gives one (with OpenAI's strict mode, absent optional fields
 * come as null, as the real model sends them).
 */
const adderBrain: Brain = ({ provider, called, lastResults, tools, structured, userTexts }) => {
  if (structured) return { json: provider === 'openai' ? { sum: 5, note: null } : { sum: 5 } };
  if (userTexts.some((text) => text.includes('echo and add')) && lastResults.length === 0) {
    return {
      toolCalls: [
        { name: 'everything__echo', args: { message: 'hi' } },
        { name: 'everything__get-sum', args: { a: 'two', b: 3 } },
      ],
    };
  }
  if (userTexts.some((text) => text.includes('echo and add')))
    return { text: `Both failed: ${lastResults.join(' | ')}` };
  const refused = lastResults.find((text) => /refused|rejected|not allowed/i.test(text));
  if (refused) return { text: `I was not allowed to add them (${refused}).` };
  if (lastResults.length > 0) return { text: `Done: ${lastResults.join(' ')}` };
  if (tools.includes('everything__get-sum') && !called.includes('everything__get-sum'))
    return { toolCalls: [{ name: 'everything__get-sum', args: { a: 2, b: 3 } }] };
  return { text: 'Hello!' };
};

let standIns: Map<Provider, ProviderStandIn>;
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  standIns = await models.startStandIns(() => adderBrain);
  await stack.startWorker({
    deployment: {
      mcpServers: { everything: everythingServer },
      toolPolicy: { rules: [{ tool: 'everything/echo', decision: 'deny' }] },
      // A stand-in has a base URL, so OpenAI's native structured output is asked for explicitly.
      models: models.standInModels(standIns, undefined, { structuredOutput: 'native' }),
    },
  });
});
afterAll(async () => {
  await stack?.stop();
  if (standIns) await models.stopStandIns(standIns);
});

async function startOneStep(routineId: string, step: Record<string, unknown>): Promise<string> {
  await models.registerOneStep(stack.client, routineId, step);
  return (await stack.client.startRun({ routineId, input: { a: 2, b: 3 } })).runId;
}

describe.each(models.providers)('LLM steps through the %s stand-in', (provider) => {
  const standIn = () => standIns.get(provider) as ProviderStandIn;
  const sent = (from: number) => standIn().bodies().slice(from);

  it('run a BPMN LLM task that calls get-sum of server-everything and finishes', async () => {
    const before = standIn().bodies().length;
    const task = serviceTask('add', 'llm', {
      prompt: 'Add {{ a }} and {{ b }} with the tool',
      model: provider,
      tools: 'everything/get-sum',
      resultVariable: 'result',
    });
    const xml = bpmnProcess(`<bpmn:startEvent id="start" />${task}<bpmn:endEvent id="end" />
      ${flows(['start', 'add'], ['add', 'end'])}`);
    const routineId = `models-bpmn-add-${provider}`;
    await stack.client.registerRoutine({ id: routineId, body: { kind: 'bpmn', xml } });
    const { runId } = await stack.client.startRun({ routineId, input: { a: 2, b: 3 } });
    const outcome = await stack.client.awaitRun(runId);

    expect(standIn().realRejections()).toEqual([]);
    expect(outcome).toMatchObject({ status: 'completed' });
    expect(outcome.outputs.result).toMatch(/^Done: .*sum of 2 and 3 is 5/);
    expect(await scheduledActivities(stack.client, runId)).toMatchObject({ llmTurn: 2, callMcpTool: 1 });
    expect(sent(before)).toHaveLength(2);
  });

  it('ask for an output schema natively and record the method in the step row', async () => {
    const before = standIn().bodies().length;
    const routineId = `models-structured-${provider}`;
    const runId = await startOneStep(routineId, {
      id: 'extract',
      prompt: 'What is 2 + 3?',
      model: provider,
      outputSchema: sumSchema,
    });
    const outcome = await stack.client.awaitRun(runId);

    expect(standIn().realRejections()).toEqual([]);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { answer: { sum: 5 } } });
    const requests = sent(before);
    expect(requests).toHaveLength(1);
    const request = requests[0] as Record<string, unknown>;
    const method = provider === 'openai' ? 'json_schema' : 'tool';
    if (provider === 'openai') {
      expect(request.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
    } else {
      const choice = request.tool_choice;
      expect(choice).toMatchObject({ type: 'tool' });
      const forced = isRecord(choice) ? choice.name : undefined;
      expect((request.tools as Record<string, unknown>[]).map((tool) => tool.name)).toEqual([forced]);
    }
    await expect
      .poll(() => listSteps(stack.client.db, runId))
      .toEqual([
        expect.objectContaining({
          stepKey: 'extract#1',
          status: 'completed',
          output: { answer: { sum: 5 } },
          llm: expect.objectContaining({ model: provider, structuredOutput: method, turns: 1 }),
        }),
      ]);
  });

  it('answer a tool call whose approval is rejected mid-turn, and finish the step', async () => {
    const before = standIn().bodies().length;
    const routineId = `models-reject-${provider}`;
    const runId = await startOneStep(routineId, {
      ...addStep(provider),
      requireApprovalFor: ['everything/*'],
    });
    await waitForState(stack.client, runId, 'an approval', (state) =>
      state.pendingApprovals.some((approval) => approval.callId === 'add#1/call-1'),
    );
    await stack.client.decideApproval(runId, {
      callId: 'add#1/call-1',
      approved: false,
      reason: 'not today',
      decidedBy: 'ops',
    });
    const outcome = await stack.client.awaitRun(runId);

    expect(standIn().realRejections()).toEqual([]);
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs.answer).toMatch(/^I was not allowed to add them/);
    expect(await scheduledActivities(stack.client, runId)).not.toHaveProperty('callMcpTool');
    const requests = sent(before);
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]?.messages)).toContain('not today');
  });

  it('answer parallel tool calls that fail (a denied tool, a tool error) and finish the step', async () => {
    const before = standIn().bodies().length;
    const routineId = `models-failing-tools-${provider}`;
    const runId = await startOneStep(routineId, {
      id: 'both',
      prompt: 'Use echo and add 2 and 3',
      model: provider,
      tools: ['everything/echo', 'everything/get-sum'],
    });
    const outcome = await stack.client.awaitRun(runId);

    expect(standIn().realRejections()).toEqual([]);
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs.answer).toMatch(/^Both failed: refused: the call was denied .*\|/);
    expect(sent(before)).toHaveLength(2);
  });
});
