import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodecServerHandle, isLoopbackHost, startCodecServer } from '../../../client/codec-server.ts';
import { EncryptionCodec } from '../../../workers/codec/encryption-codec.ts';

const codec = new EncryptionCodec([{ id: 'k1', key: new Uint8Array(randomBytes(32)) }]);
const token = randomBytes(24).toString('base64url');
const webUi = 'http://localhost:8233';
const lines: string[] = [];
let server: CodecServerHandle;

beforeAll(async () => {
  server = await startCodecServer({
    codec,
    host: '127.0.0.1',
    port: 0,
    token,
    corsOrigins: [webUi],
    maxBodyBytes: 64 * 1024,
    log: (line) => lines.push(line),
  });
});
afterAll(() => server?.close());

const call = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const plain = {
  payloads: [
    {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('"Ada"').toString('base64'),
    },
  ],
};

describe('codec server', () => {
  it('encodes and decodes in the JSON protocol, with or without a namespace segment', async () => {
    const encoded = await post('/encode', plain);
    expect(encoded.status).toBe(200);
    const body = (await encoded.json()) as typeof plain;
    expect(Buffer.from(body.payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe(
      'binary/encrypted',
    );
    expect(Buffer.from(body.payloads[0]?.data ?? '', 'base64').toString()).not.toContain('Ada');
    const decoded = await post('/my-namespace/decode', body);
    expect(await decoded.json()).toEqual(plain);
  });

  it('answers 401 without the right bearer token, and never echoes what it got', async () => {
    for (const authorization of [
      '',
      'Bearer',
      `Basic ${token}`,
      `Bearer ${token}x`,
      `Bearer ${token} extra`,
    ]) {
      const response = await post('/decode', plain, { authorization });
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="swarmflow-codec"');
      expect(await response.text()).not.toContain(token);
    }
  });

  it('answers a CORS preflight for the Web UI origin only, without asking for a token', async () => {
    const preflight = (origin: string) =>
      call('/decode', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight(webUi);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(webUi);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-namespace');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const decoded = await post('/decode', plain, { origin: webUi });
    expect(decoded.headers.get('access-control-allow-origin')).toBe(webUi);
  });

  it('refuses bad requests clearly', async () => {
    expect((await call('/decode')).status).toBe(405);
    expect((await post('/elsewhere', plain)).status).toBe(404);
    expect((await post('/a/b/decode', plain)).status).toBe(404);
    const notJson = await post('/decode', '{');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'the body is not JSON' });
    const badShape = await post('/decode', { payloads: [{ data: 'not base64!' }] });
    expect(badShape.status).toBe(400);
    expect(((await badShape.json()) as { error: string }).error).toMatch(
      /^the body is not .*payloads\.0\.data/,
    );
    expect((await post('/decode', { payloads: [{ data: 'A'.repeat(70_000) }] })).status).toBe(413);
    const foreign = await post('/decode', {
      payloads: [
        {
          metadata: {
            encoding: Buffer.from('binary/encrypted').toString('base64'),
            'encryption-key-id': Buffer.from('k0').toString('base64'),
          },
          data: randomBytes(40).toString('base64'),
        },
      ],
    });
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { error: string }).error).toContain('key id "k0"');
    expect(lines).toEqual([]);
  });
});

describe('codec server start', () => {
  it('refuses a non-loopback host without a token, and --insecure-local anywhere but loopback', async () => {
    await expect(startCodecServer({ codec, host: '0.0.0.0', port: 0, token: undefined })).rejects.toThrow(
      'refusing to serve 0.0.0.0 without auth: set SWARMFLOW_CODEC_TOKEN',
    );
    await expect(
      startCodecServer({ codec, host: '0.0.0.0', port: 0, token: undefined, insecureLocal: true }),
    ).rejects.toThrow('--insecure-local serves only a loopback host');
    await expect(startCodecServer({ codec, host: '127.0.0.1', port: 0, token: undefined })).rejects.toThrow(
      'or pass --insecure-local to serve 127.0.0.1 without auth',
    );
  });

  it('serves loopback without a token when told to', async () => {
    const open = await startCodecServer({
      codec,
      host: '127.0.0.1',
      port: 0,
      token: undefined,
      insecureLocal: true,
    });
    try {
      const response = await fetch(`${open.url}/encode`, { method: 'POST', body: JSON.stringify(plain) });
      expect(response.status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.com'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
