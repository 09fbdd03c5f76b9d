import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import Fastify from 'fastify';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseDeploymentConfig } from '../../../activities/config/load-deployment-config.ts';
import { McpPool } from '../../../activities/mcp/mcp-pool.ts';
import { ModelRegistry } from '../../../activities/models/model-registry.ts';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';
import { meteredLlmTurn } from '../../../activities/strategies/llm-turn-activity.ts';
import { traceHttpRequests } from '../../../client/telemetry/http-spans.ts';
import { startTracing } from '../../../client/telemetry/tracing.ts';

const exporter = new InMemorySpanExporter();
const tracing = startTracing('swarmflow-test', { exporter });
afterAll(() => tracing?.shutdown());
beforeEach(() => exporter.reset());

describe('the LLM turn span', () => {
  it('is a `chat <model>` client span with the GenAI attributes of the turn', async () => {
    const deployment = parseDeploymentConfig(
      { models: { demo: { provider: 'scripted', turns: [{ text: 'Paris.' }] } }, defaultModel: 'demo' },
      '/',
    );
    const dependencies = {
      models: new ModelRegistry(deployment),
      breakers: new CircuitBreakers(),
      prices: deployment.prices,
    };
    const messages = [{ role: 'user' as const, text: 'Capital of France?' }];
    const outcome = await meteredLlmTurn(dependencies, { messages }, new AbortController().signal);

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('chat demo');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'swarmflow.scripted',
      'gen_ai.system': 'swarmflow.scripted',
      'gen_ai.request.model': 'demo',
      'gen_ai.response.model': 'demo',
      'gen_ai.usage.input_tokens': outcome.usage.inputTokens,
      'gen_ai.usage.output_tokens': outcome.usage.outputTokens,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(outcome.usage.outputTokens).toBeGreaterThan(0);
  });
});

describe('the MCP tool call span', () => {
  it('is an `execute_tool <tool>` span, in error status with the error type when the call fails', async () => {
    const pool = new McpPool({});
    await expect(pool.callTool('nowhere', 'get-sum', { a: 1 })).rejects.toThrow(
      /unknown MCP server "nowhere"/,
    );
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('execute_tool get-sum');
    expect(span?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get-sum',
      'swarmflow.mcp.server': 'nowhere',
      'error.type': 'ConfigurationError',
    });
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('the HTTP server span', () => {
  it('continues the caller s trace, is active in the handler after the body is read, and ends with the status', async () => {
    const app = Fastify();
    traceHttpRequests(app);
    let activeInHandler: string | undefined;
    app.post('/v1/runs', async (_request, reply) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
      return reply.code(201).send({ runId: 'r-1', workflowId: 'run/r-1' });
    });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await app.inject({
      method: 'POST',
      url: '/v1/runs?x=1',
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      payload: { routineId: 'triage' },
    });
    expect(response.statusCode).toBe(201);
    await app.close();

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('POST /v1/runs');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.spanContext().traceId).toBe(traceId);
    expect(span?.parentSpanId).toBe('00f067aa0ba902b7');
    expect(activeInHandler).toBe(span?.spanContext().spanId);
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/v1/runs',
      'http.route': '/v1/runs',
      'http.response.status_code': 201,
      'swarmflow.run_id': 'r-1',
      'swarmflow.workflow_id': 'run/r-1',
    });
  });
});
