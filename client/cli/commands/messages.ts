import type { Command } from 'commander';
import type { PublishMessageRequest } from '../../../schema/messages.ts';
import { withClient } from '../context.ts';
import { parseDurationOption } from '../duration-option.ts';
import { parseJsonObjectOption } from '../json-option.ts';

interface PublishOptions {
  correlationKey: string;
  variables?: string;
  ttl?: string;
  id?: string;
}

export function messagesCommands(program: Command): void {
  const messages = program.command('messages').description('BPMN messages for runs that wait on them');

  messages
    .command('publish <name>')
    .description(
      'publish a message: runs waiting on its name and correlation key get it, late ones until its TTL ends',
    )
    .requiredOption('--correlation-key <key>', 'the correlation key the runs wait on')
    .option('--variables <json>', 'message variables as a JSON object')
    .option('--ttl <duration>', 'how long it waits for late runs: milliseconds or ISO 8601 (default: PT1H)')
    .option('--id <message-id>', 'message id: publishing the same id again delivers it once')
    .action(async (name: string, options: PublishOptions) => {
      const request: PublishMessageRequest = {
        name,
        correlationKey: options.correlationKey,
        variables: parseJsonObjectOption(options.variables, '--variables'),
        ...(options.ttl === undefined ? {} : { ttlMs: parseDurationOption(options.ttl, '--ttl') }),
        ...(options.id === undefined ? {} : { messageId: options.id }),
      };
      const { messageId } = await withClient((client) => client.publishMessage(request));
      process.stdout.write(`published message ${name} (id ${messageId}) for key ${options.correlationKey}\n`);
    });
}
