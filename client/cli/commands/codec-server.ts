import { once } from 'node:events';
import { type Command, InvalidArgumentError } from 'commander';
import { ENCRYPTION_KEYS_VARIABLE, loadCodecToken } from '../../../schema/encryption.ts';
import { loadPayloadEncryption } from '../../../workers/codec/data-converter.ts';
import { startCodecServer } from '../../codec-server.ts';

interface CodecServerCommandOptions {
  port: number;
  host: string;
  corsOrigin: string[];
  insecureLocal?: boolean;
}

function port(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65_535)
    throw new InvalidArgumentError('a port is a whole number 0-65535');
  return value;
}

function origin(text: string, previous: string[]): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError('an origin is a URL such as http://localhost:8233');
  }
  if (url.origin !== text.replace(/\/$/, ''))
    throw new InvalidArgumentError(`an origin has no path: ${url.origin}`);
  return [...previous, url.origin];
}

export function codecServerCommand(program: Command): void {
  program
    .command('codec-server')
    .description(
      'decode encrypted payloads for the Temporal Web UI and CLI (POST /encode, /decode); every call needs Authorization: Bearer $SWARMFLOW_CODEC_TOKEN',
    )
    .option('--port <port>', 'port (0: any free port)', port, 8888)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--cors-origin <origin>',
      'let this browser origin call it, e.g. the Web UI (repeatable)',
      origin,
      [],
    )
    .option('--insecure-local', 'serve without a token (loopback hosts only)')
    .action(async (options: CodecServerCommandOptions) => {
      const encryption = loadPayloadEncryption();
      if (encryption.codec.currentKeyId === undefined)
        throw new Error(
          `${ENCRYPTION_KEYS_VARIABLE} is not set: the codec server would have no key to decode with`,
        );
      const server = await startCodecServer({
        codec: encryption.codec,
        host: options.host,
        port: options.port,
        token: loadCodecToken(),
        insecureLocal: options.insecureLocal ?? false,
        corsOrigins: options.corsOrigin,
      });
      const auth = options.insecureLocal ? 'no auth (--insecure-local)' : 'bearer token required';
      const cors = options.corsOrigin.length > 0 ? `, CORS for ${options.corsOrigin.join(', ')}` : '';
      process.stderr.write(
        `${encryption.summary}\ncodec server at ${server.url} (${auth}${cors}; Ctrl-C to stop)\n`,
      );
      await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
      await server.close();
    });
}
