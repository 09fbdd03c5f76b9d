import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinTaskTypes } from '../../../activities/task-types/builtins.ts';
import { TaskTypeRegistry } from '../../../activities/task-types/registry.ts';
import { decodeBpmnSource } from '../../../compiler/index.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

const miwg = new URL('../../../../shared/bpmn-miwg/', import.meta.url);
/** The reference models live in the workspace's shared folder, beside the checkout. */
const haveModels = existsSync(new URL('C.9.0.bpmn', miwg));
const model = async (name: string) => decodeBpmnSource(await readFile(new URL(name, miwg)));

/** The job workers the MIWG Camunda 8 models expect; here they only acknowledge the job. */
const jobWorkers = new TaskTypeRegistry({
  ...builtinTaskTypes,
  email: async () => ({ emailSent: true }),
  notifyCustomerDelay: async () => ({}),
  calculateScore: async () => ({ score: 720 }),
  issuePolicy: async () => ({ policyIssued: true }),
  'io.camunda:sendgrid:1': async () => ({}),
  // The seam for a DMN engine: a decision is the task type decision:<decisionId>.
  'decision:risk_check': async ({ variables, headers }) => ({
    [headers.resultVariable ?? 'result']: {
      riskLevel: variables.score === 720 ? ['green'] : ['red'],
      risk: [],
    },
  }),
});

let stack: TestStack;

beforeAll(async () => {
  if (!haveModels) return;
  stack = await startTestStack();
  await stack.startWorker({ taskTypes: jobWorkers });
  await stack.client.registerRoutine({
    id: 'requestDocument_en',
    body: { kind: 'bpmn', xml: await model('C.9.1.bpmn') },
  });
  await stack.client.registerRoutine({
    id: 'ManualCheck',
    body: { kind: 'bpmn', xml: await model('C.9.2.bpmn') },
  });
  await stack.client.registerRoutine({
    id: 'onboarding',
    body: { kind: 'bpmn', xml: await model('C.9.0.bpmn') },
  });
});
afterAll(() => stack?.stop());

const activeOf = async (runId: string) => (await stack.client.getRunState(runId)).activeElements;

describe.skipIf(!haveModels)('the executable Camunda 8 MIWG models run unchanged', () => {
  it('C.9.1: requests a document and completes when the answer message arrives', async () => {
    const { runId } = await stack.client.startRun({
      routineId: 'requestDocument_en',
      input: { documentReferenceId: 'doc-1' },
    });
    await expect.poll(() => activeOf(runId)).toContain('ReceiveTask_WaitForDocument');
    await stack.client.publishMessage({
      name: 'MESSAGE_documentReceived',
      correlationKey: 'doc-1',
      variables: { document: 'scan.pdf' },
    });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome).toMatchObject({
      status: 'completed',
      outputs: { emailSent: true, document: 'scan.pdf' },
    });
    expect(outcome.trace.at(-1)).toEqual({
      elementId: 'EndEvent_GotDocument',
      type: 'endEvent',
      status: 'completed',
    });
  });

  it('C.9.2: a message event sub-process calls C.9.1 for each document while the decision waits', async () => {
    const input = {
      documentReferenceId: 'doc-2',
      fraudSuspectedId: 'fraud-2',
      documents: ['passport', 'payslip'],
      risks: ['age'],
      applicant: { age: 30, name: 'Ada' },
    };
    const { runId } = await stack.client.startRun({ routineId: 'ManualCheck', input });
    await expect.poll(() => activeOf(runId)).toContain('UserTask_DecideOnApplication');
    await stack.client.publishMessage({ name: 'Message_DocumentRequested', correlationKey: 'doc-2' });
    await expect.poll(() => activeOf(runId)).toContain('CallActivity_RequestDocument');
    await expect
      .poll(async () =>
        (await stack.client.listRuns({ routineId: 'requestDocument_en' })).filter(
          (r) => r.status === 'running',
        ),
      )
      .toHaveLength(2);
    // As in Zeebe, one message reaches one waiting instance of a process: one answer per document.
    await stack.client.publishMessage({ name: 'MESSAGE_documentReceived', correlationKey: 'doc-2' });
    await stack.client.publishMessage({ name: 'MESSAGE_documentReceived', correlationKey: 'doc-2' });
    await expect.poll(() => activeOf(runId)).not.toContain('CallActivity_RequestDocument');
    await stack.client.completeTask(runId, {
      elementId: 'UserTask_DecideOnApplication',
      output: { approved: true },
    });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { approved: true } });
    const ended = outcome.trace.map((t) => `${t.elementId}:${t.status}`);
    expect(ended).toEqual(
      expect.arrayContaining([
        'CallActivity_RequestDocument:completed',
        'EndEvent_DocumentReceived:completed',
        'EndEvent_ManuallyDecided:completed',
      ]),
    );
  });

  it('C.9.0: scores, decides through the DMN seam and issues the policy on the green path', async () => {
    const { runId } = await stack.client.startRun({
      routineId: 'onboarding',
      input: { applicationId: 'a-1' },
    });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome).toMatchObject({
      status: 'completed',
      outputs: { score: 720, riskLevels: ['green'], risks: [], policyIssued: true },
    });
    expect(outcome.trace.at(-1)).toEqual({
      elementId: 'EndEvent_ApplicationIssued',
      type: 'endEvent',
      status: 'completed',
    });
  });
});
