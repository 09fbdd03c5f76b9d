import type { Command } from 'commander';
import { withClient } from '../context.ts';
import { parseJsonObjectOption } from '../json-option.ts';

export function signalsCommands(program: Command): void {
  const signals = program.command('signals').description('BPMN signals for runs that wait on them');

  signals
    .command('broadcast <name>')
    .description('broadcast a signal to every run waiting for it now')
    .option('--variables <json>', 'signal variables as a JSON object')
    .action(async (name: string, options: { variables?: string }) => {
      const variables = parseJsonObjectOption(options.variables, '--variables');
      const reached = await withClient((client) => client.broadcastSignal({ name, variables }));
      process.stdout.write(`signal ${name} reached ${reached} run${reached === 1 ? '' : 's'}\n`);
    });
}
