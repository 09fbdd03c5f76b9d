import { describe, expect, it } from 'vitest';
import { UnknownRunError } from '../../../client/errors.ts';
import { buildHttpRequest } from '../../../client/remote/api-request.ts';
import { ApiTransport } from '../../../client/remote/api-transport.ts';
import { ApiUnreachableError, RemoteApiError } from '../../../client/remote/remote-errors.ts';
import { SwarmflowClient } from '../../../client/remote/swarmflow-client.ts';
import { apiOperations } from '../../../schema/api/operations.ts';
import { ValidationError } from '../../../schema/validation.ts';

const apiKey = 'sfk_abcdefghijkl_secretsecretsecretsecretsecretsecretsecret0';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fetch that records what it is given and answers `status` with `body` as JSON. */
function fakeFetch(status: number, body: unknown) {
  const sent: Sent[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({
      url: String(url),
      method: init?.method ?? 'GET',
      headers: init?.headers as Record<string, string>,
      body: init?.body as string | undefined,
    });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

const unexpected = (): never => {
  throw new Error('expected a failure');
};

describe('buildHttpRequest', () => {
  it('fills and encodes path parameters, keeping a base path', () => {
    const request = buildHttpRequest('https://api.example.com/swarmflow/', apiOperations.getRun, {
      params: { runId: 'order:1/2' },
    });
    expect(request).toEqual({
      method: 'GET',
      url: 'https://api.example.com/swarmflow/v1/runs/order%3A1%2F2',
    });
  });

  it('encodes the defined query values: numbers, booleans, dates and repeated keys; skips the undefined', () => {
    const request = buildHttpRequest('http://127.0.0.1:8787', apiOperations.listAudit, {
      query: {
        since: new Date('2026-01-02T03:04:05.000Z'),
        action: 'runs.*',
        limit: 10,
        actor: undefined,
        outcome: ['ok', 'denied'],
      },
    });
    const url = new URL(request.url);
    expect(url.pathname).toBe('/v1/audit');
    expect(url.searchParams.get('since')).toBe('2026-01-02T03:04:05.000Z');
    expect(url.searchParams.get('action')).toBe('runs.*');
    expect(url.searchParams.get('limit')).toBe('10');
    expect(url.searchParams.has('actor')).toBe(false);
    expect(url.searchParams.getAll('outcome')).toEqual(['ok', 'denied']);
    expect(request.body).toBeUndefined();
  });

  it('sends a JSON body exactly when the operation takes one, {} when none is given', () => {
    expect(buildHttpRequest('http://h', apiOperations.pauseSwarm, { params: { swarmId: 's' } }).body).toBe(
      '{}',
    );
    expect(
      buildHttpRequest('http://h', apiOperations.startRun, { body: { routine: 'r', input: { a: 1 } } }).body,
    ).toBe('{"routine":"r","input":{"a":1}}');
    expect(
      buildHttpRequest('http://h', apiOperations.cancelRun, { params: { runId: 'r' } }).body,
    ).toBeUndefined();
  });

  it('refuses a missing path parameter, naming it', () => {
    expect(() => buildHttpRequest('http://h', apiOperations.getRun, {})).toThrow(
      /runId: required, it is part of the path \/v1\/runs\/:runId/,
    );
  });
});

describe('ApiTransport', () => {
  it('sends the bearer key and parses the answer with the response schema, dates revived', async () => {
    const { fetch, sent } = fakeFetch(200, {
      runs: [
        {
          runId: 'r1',
          tenantId: 't',
          routineId: 'invoice',
          routineVersion: 1,
          status: 'completed',
          startedAt: '2026-01-02T03:04:05.000Z',
          endedAt: null,
          error: null,
        },
      ],
    });
    const client = new SwarmflowClient({ url: 'http://api.test', apiKey, fetch });
    const runs = await client.listRuns({ routineId: 'invoice', status: 'completed', limit: 5 });
    expect(runs[0]?.startedAt).toEqual(new Date('2026-01-02T03:04:05.000Z'));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe('http://api.test/v1/runs?status=completed&limit=5&routine=invoice');
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
  });

  it('keeps strings in user data that look like dates as strings', async () => {
    const { fetch } = fakeFetch(200, {
      done: true,
      outcome: { runId: 'r1', status: 'completed', outputs: { due: '2026-01-02T03:04:05.000Z' }, trace: [] },
    });
    const client = new SwarmflowClient({ url: 'http://api.test', apiKey, fetch });
    expect((await client.awaitRun('r1')).outputs).toEqual({ due: '2026-01-02T03:04:05.000Z' });
  });

  it('polls the outcome until it is done', async () => {
    let polls = 0;
    const fetch = (async () => {
      polls += 1;
      const body =
        polls < 3
          ? { done: false }
          : { done: true, outcome: { runId: 'r1', status: 'failed', outputs: {}, trace: [] } };
      return new Response(JSON.stringify(body), { status: 200 });
    }) as typeof globalThis.fetch;
    const client = new SwarmflowClient({ url: 'http://api.test', apiKey, fetch });
    expect(await client.awaitRun('r1', { untilParked: true })).toMatchObject({ status: 'failed' });
    expect(polls).toBe(3);
  });

  it('turns an error body into the typed error, with the server message and the id from the request', async () => {
    const message = 'no run "r9": list runs with `swarmflow runs list`';
    const { fetch } = fakeFetch(404, {
      error: { type: 'UnknownRunError', message, status: 404, requestId: 'req-1' },
    });
    const error = await new SwarmflowClient({ url: 'http://api.test', apiKey, fetch })
      .cancelRun('r9')
      .then(unexpected, (caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(UnknownRunError);
    expect(error).toMatchObject({ runId: 'r9', message });
  });

  it('validates input before the network with the direct SDK schemas', async () => {
    const { fetch, sent } = fakeFetch(200, {});
    const client = new SwarmflowClient({ url: 'http://api.test', apiKey, fetch });
    await expect(client.publishMessage({ name: '', correlationKey: 'k' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(client.swarms.start('goal', { tenantId: 'other' })).rejects.toThrow(/tenantId: /);
    expect(sent).toHaveLength(0);
  });

  it('answers an error body it cannot read, or a non-JSON answer, with a RemoteApiError', async () => {
    const proxy = (async () =>
      new Response('<html>Bad gateway</html>', { status: 502 })) as typeof globalThis.fetch;
    const error = await new ApiTransport({ url: 'http://api.test', apiKey, fetch: proxy })
      .call('listRoutines')
      .then(unexpected, (caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(RemoteApiError);
    expect(error).toMatchObject({ type: 'InvalidResponse', status: 502 });
    expect((error as Error).message).toContain('Bad gateway');
  });

  it('refuses an answer that is not what the operation promises', async () => {
    const { fetch } = fakeFetch(200, { routines: 'none' });
    const error = await new ApiTransport({ url: 'http://api.test', apiKey, fetch })
      .call('listRoutines')
      .then(unexpected, (caught: unknown) => caught as Error);
    expect(error).toMatchObject({ name: 'RemoteApiError', type: 'InvalidResponse' });
    expect((error as Error).message).toMatch(/routines: /);
  });

  it('names the URL, never the key, when the network fails or the server does not answer in time', async () => {
    const refused = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as typeof globalThis.fetch;
    const error = await new ApiTransport({ url: 'http://api.test:1', apiKey, fetch: refused })
      .call('listRoutines')
      .then(unexpected, (caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect(error.message).toMatch(/^cannot reach the Swarmflow API at http:\/\/api.test:1 \(ECONNREFUSED\)/);
    expect(error.message).not.toContain(apiKey);

    const silent = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof globalThis.fetch;
    const timedOut = await new ApiTransport({ url: 'http://api.test', apiKey, fetch: silent, timeoutMs: 20 })
      .call('listRoutines')
      .then(unexpected, (caught: unknown) => caught as Error);
    expect(timedOut).toBeInstanceOf(ApiUnreachableError);
    expect(timedOut.message).toContain('no answer to GET /v1/routines within 20 ms');
  });

  it('refuses options without an http(s) URL or a key, never showing the key', () => {
    expect(() => new SwarmflowClient({ url: 'ftp://x', apiKey })).toThrow(ValidationError);
    const error = (() => {
      try {
        new SwarmflowClient({ url: 'not a url', apiKey });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toMatch(/url: /);
    expect(error?.message).not.toContain(apiKey);
    expect(() => new SwarmflowClient({ url: 'http://x', apiKey: ' ' })).toThrow(/apiKey: /);
  });
});
