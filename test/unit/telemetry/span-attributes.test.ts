import { describe, expect, it } from 'vitest';
import {
  chatRequestAttributes,
  chatResponseAttributes,
  chatSpanName,
  errorType,
  toolCallAttributes,
  toolSpanName,
  workflowAttributes,
} from '../../../activities/telemetry/span-attributes.ts';
import { httpRequestAttributes, httpSpanName } from '../../../client/telemetry/http-spans.ts';

const gpt = { name: 'smart', provider: 'openai', modelId: 'gpt-4o' };
const claude = { name: 'backup', provider: 'anthropic', modelId: 'claude-sonnet-4' };

describe('GenAI span attributes of an LLM turn', () => {
  it('name the span and the request after the provider model id', () => {
    expect(chatSpanName(gpt)).toBe('chat gpt-4o');
    expect(chatRequestAttributes(gpt)).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'swarmflow.model': 'smart',
    });
  });

  it('say which model answered (a fallback of another provider), its tokens and why it stopped', () => {
    expect(
      chatResponseAttributes({
        answeredBy: claude,
        inputTokens: 12,
        outputTokens: 3,
        toolCalls: 0,
        credits: 0.5,
      }),
    ).toEqual({
      'gen_ai.response.model': 'claude-sonnet-4',
      'gen_ai.system': 'anthropic',
      'gen_ai.provider.name': 'anthropic',
      'swarmflow.model': 'backup',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.response.finish_reasons': ['stop'],
      'swarmflow.usage.credits': 0.5,
    });
    expect(
      chatResponseAttributes({ answeredBy: gpt, inputTokens: 1, outputTokens: 1, toolCalls: 2 })[
        'gen_ai.response.finish_reasons'
      ],
    ).toEqual(['tool_calls']);
  });

  it('name the offline provider as Swarmflow s own', () => {
    const scripted = { name: 'demo', provider: 'scripted', modelId: 'demo' };
    expect(chatSpanName(scripted)).toBe('chat demo');
    expect(chatRequestAttributes(scripted)['gen_ai.provider.name']).toBe('swarmflow.scripted');
  });
});

describe('span attributes of an MCP tool call', () => {
  it('name the tool and its server', () => {
    expect(toolSpanName('get-sum')).toBe('execute_tool get-sum');
    expect(toolCallAttributes('everything', 'get-sum')).toEqual({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get-sum',
      'gen_ai.tool.type': 'extension',
      'mcp.method.name': 'tools/call',
      'swarmflow.mcp.server': 'everything',
    });
  });

  it('type a failure by its failure type, else its class, else _OTHER', () => {
    expect(errorType(Object.assign(new Error('busy'), { type: 'ModelOverloaded' }))).toBe('ModelOverloaded');
    expect(errorType(new TypeError('x'))).toBe('TypeError');
    expect(errorType('text')).toBe('_OTHER');
  });
});

describe('attributes that find a run s spans', () => {
  it('carry the workflow id and the run or swarm id it names', () => {
    expect(workflowAttributes('run/r-1')).toEqual({
      'swarmflow.workflow_id': 'run/r-1',
      'swarmflow.run_id': 'r-1',
    });
    expect(workflowAttributes('swarm/s-1')).toEqual({
      'swarmflow.workflow_id': 'swarm/s-1',
      'swarmflow.swarm_id': 's-1',
    });
    expect(workflowAttributes('eval/e-1')).toEqual({ 'swarmflow.workflow_id': 'eval/e-1' });
  });
});

describe('HTTP server span attributes', () => {
  it('name the route, not the path, and leave the query out', () => {
    expect(httpSpanName('GET', '/v1/runs/:runId')).toBe('GET /v1/runs/:runId');
    expect(httpSpanName('GET', undefined)).toBe('GET');
    expect(
      httpRequestAttributes({
        method: 'GET',
        url: '/v1/runs/r-1?wait=1',
        route: '/v1/runs/:runId',
        scheme: 'http',
      }),
    ).toEqual({
      'http.request.method': 'GET',
      'url.path': '/v1/runs/r-1',
      'url.scheme': 'http',
      'http.route': '/v1/runs/:runId',
    });
  });
});
