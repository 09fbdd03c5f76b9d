import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bpmnProcess, flows, serviceTask } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;
let server: Server;
let base: string;
let flakyCalls = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      if (request.url === '/greet' && request.method === 'POST') {
        const { name } = JSON.parse(body) as { name: string };
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ greeting: `hi ${name}` }));
      } else if (request.url === '/flaky') {
        flakyCalls += 1;
        response.writeHead(flakyCalls === 1 ? 503 : 200).end('ok now');
      } else {
        response.writeHead(404).end('no such thing');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stack = await startTestStack();
  await stack.startWorker();
});
afterAll(async () => {
  await stack?.stop();
  server?.close();
});

async function runHttp(id: string, headers: Record<string, string>, input = {}, outputs = '') {
  const xml = bpmnProcess(`
    <bpmn:startEvent id="start" />
    ${serviceTask('call', 'http', headers, outputs)}
    <bpmn:endEvent id="end" />
    ${flows(['start', 'call'], ['call', 'end'])}`);
  await stack.client.registerRoutine({ id, body: { kind: 'bpmn', xml } });
  return stack.client.startRun({ routineId: id, input });
}

it('posts a JSON body built with FEEL and maps the JSON answer', async () => {
  const mapping =
    '<zeebe:ioMapping><zeebe:output source="=response.body.greeting" target="greeting" /></zeebe:ioMapping>';
  const { runId } = await runHttp(
    'http-greet',
    { url: `${base}/greet`, method: 'POST', body: '={name: name}' },
    { name: 'Ada' },
    mapping,
  );
  expect(await stack.client.awaitRun(runId)).toMatchObject({
    status: 'completed',
    outputs: { greeting: 'hi Ada' },
  });
});

it('retries a 5xx answer and goes on once the service answers', async () => {
  const { runId } = await runHttp('http-flaky', { url: `${base}/flaky` });
  const outcome = await stack.client.awaitRun(runId);
  expect(outcome).toMatchObject({
    status: 'completed',
    outputs: { response: { status: 200, body: 'ok now' } },
  });
  expect(flakyCalls).toBe(2);
});

it('turns a 4xx answer into an incident naming the request, without retrying', async () => {
  const { runId } = await runHttp('http-missing', { url: `${base}/missing` });
  await expect.poll(async () => (await stack.client.getRunState(runId)).status).toBe('incident');
  const { incident } = await stack.client.getRunState(runId);
  expect(incident?.message).toContain(`GET ${base}/missing answered 404: no such thing`);
  await stack.client.cancelRun(runId);
});
