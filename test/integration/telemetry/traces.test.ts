import { readFile } from 'node:fs/promises';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { ApiServer } from '../../../client/api/server.ts';
import { startTracing } from '../../../client/telemetry/tracing.ts';
import { workflowSpanSinks } from '../../../workers/tracing.ts';
import { startTestApiServer } from '../../support/api-server.ts';
import { requestJson } from '../../support/http.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/**
 * One trace from the REST call to the model: the API server and a worker in this process trace
 * into an in-memory exporter (as OTLP would export them), and a run started over REST shows up
 * as one trace: request → workflow start → workflow → activity → LLM turn.
 */

const exporter = new InMemorySpanExporter();
// Before the stack: its clients take the tracing interceptors when they are made.
const tracing = startTracing('swarmflow-test', { exporter });

let stack: TestStack;
let server: ApiServer;

beforeAll(async () => {
  stack = await startTestStack();
  server = await startTestApiServer(stack, { insecureLocal: true });
  await stack.startWorker({
    deployment: {
      models: { greeter: { provider: 'scripted', turns: [{ match: 'in french', text: 'Bonjour Ada !' }] } },
      defaultModel: 'greeter',
    },
  });
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
  await tracing?.shutdown();
});

const spanId = (span: ReadableSpan | undefined) => span?.spanContext().spanId;

it('links the API request, the workflow, the activity and the LLM turn in one trace', async () => {
  await stack.client.registerRoutine({
    id: 'traced-greet',
    body: { kind: 'sequence', steps: [{ id: 'greet', prompt: 'Greet {{ name }} in French' }] },
  });
  const started = await requestJson(server.url, 'POST', '/v1/runs', {
    body: { routine: 'traced-greet', input: { name: 'Ada' } },
  });
  expect(started.status).toBe(201);
  const { runId, workflowId } = started.body as { runId: string; workflowId: string };
  expect(await stack.client.awaitRun(runId)).toMatchObject({ status: 'completed' });

  // The workflow's spans leave the sandbox through the worker's sink when the workflow ends.
  const named = (name: string) =>
    exporter
      .getFinishedSpans()
      .find((span) => span.name === name && span.attributes['swarmflow.run_id'] === runId);
  await expect.poll(() => named('RunWorkflow:runWorkflow')).toBeDefined();
  const spans = exporter.getFinishedSpans();
  const request = spans.find(
    (span) => span.name === 'POST /v1/runs' && span.attributes['swarmflow.run_id'] === runId,
  );
  expect(request?.kind).toBe(SpanKind.SERVER);
  expect(request?.attributes).toMatchObject({
    'http.request.method': 'POST',
    'http.route': '/v1/runs',
    'url.path': '/v1/runs',
    'http.response.status_code': 201,
    'swarmflow.workflow_id': workflowId,
  });
  const traceId = request?.spanContext().traceId;
  const inTrace = spans.filter((span) => span.spanContext().traceId === traceId);
  const find = (name: string) => inTrace.find((span) => span.name === name);

  const start = find('StartWorkflow:runWorkflow');
  expect(start?.parentSpanId).toBe(spanId(request));
  expect(start?.attributes).toMatchObject({ temporalWorkflowId: workflowId });
  const workflow = find('RunWorkflow:runWorkflow');
  expect(workflow?.parentSpanId).toBe(spanId(start));
  expect(workflow?.attributes).toMatchObject({ 'swarmflow.run_id': runId, workflowId });
  const scheduled = find('StartActivity:llmTurn');
  expect(scheduled?.parentSpanId).toBe(spanId(workflow));
  const activity = find('RunActivity:llmTurn');
  expect(activity?.parentSpanId).toBe(spanId(scheduled));
  expect(activity?.attributes).toMatchObject({
    'swarmflow.run_id': runId,
    'swarmflow.workflow_id': workflowId,
  });
  const chat = find('chat greeter');
  expect(chat?.parentSpanId).toBe(spanId(activity));
  expect(chat?.kind).toBe(SpanKind.CLIENT);
  expect(chat?.attributes).toMatchObject({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'swarmflow.scripted',
    'gen_ai.request.model': 'greeter',
    'gen_ai.response.model': 'greeter',
    'gen_ai.response.finish_reasons': ['stop'],
  });
  expect(chat?.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
  expect(chat?.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
  // Every span names its service and version (the resource), as a trace backend shows them.
  expect(chat?.resource.attributes).toMatchObject({ 'service.name': 'swarmflow-test' });
  expect(workflow?.resource.attributes).toMatchObject({ 'service.name': 'swarmflow-test' });

  // A traced workflow replays as it ran (after an eviction, on another worker): tracing adds no commands.
  const history = await stack.client.temporal.workflow.getHandle(workflowId).fetchHistory();
  const code = await readFile(inject('workflowBundlePath'), 'utf8');
  await expect(
    Worker.runReplayHistory({ workflowBundle: { code }, sinks: workflowSpanSinks() }, history, workflowId),
  ).resolves.toBeUndefined();
});
