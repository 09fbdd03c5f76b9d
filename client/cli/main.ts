import { Command, CommanderError, Option } from 'commander';
import { approvalsCommands } from './commands/approvals.ts';
import { auditCommands } from './commands/audit.ts';
import { codecServerCommand } from './commands/codec-server.ts';
import { datasetsCommands } from './commands/datasets.ts';
import { demoCommand } from './commands/demo.ts';
import { devCommand } from './commands/dev.ts';
import { evalCommands } from './commands/eval.ts';
import { improveCommands } from './commands/improve.ts';
import { insightsCommand } from './commands/insights.ts';
import { keysCommands } from './commands/keys.ts';
import { knowledgeCommands } from './commands/knowledge.ts';
import { mcpCommand } from './commands/mcp.ts';
import { messagesCommands } from './commands/messages.ts';
import { modelsCommands } from './commands/models.ts';
import { routineCommands } from './commands/routine.ts';
import { runCommand } from './commands/run.ts';
import { runsCommands } from './commands/runs.ts';
import { serveCommand } from './commands/serve.ts';
import { serverCommands } from './commands/server.ts';
import { signalsCommands } from './commands/signals.ts';
import { swarmCommands } from './commands/swarm.ts';
import { tasksCommands } from './commands/tasks.ts';
import { tenantsCommands } from './commands/tenants.ts';
import { workerCommand } from './commands/worker.ts';
import { setRemoteOptions } from './context.ts';

const program = new Command('swarmflow')
  .description('Swarms of AI agents and BPMN routines as durable Temporal workflows')
  .showHelpAfterError()
  .exitOverride()
  .addOption(
    new Option(
      '--url <url>',
      'drive the API server at this URL instead of Temporal and PostgreSQL: routines, runs, swarms, tasks, approvals, messages, signals, keys, audit list, datasets, insights',
    ).env('SWARMFLOW_URL'),
  )
  .addOption(
    new Option(
      '--api-key <key>',
      'the API key for --url, and the identity `swarmflow mcp` acts as (prefer the variable: a flag shows in the process list)',
    ).env('SWARMFLOW_API_KEY'),
  )
  .hook('preAction', (root) => setRemoteOptions(root.opts()));

demoCommand(program);
swarmCommands(program);
mcpCommand(program);
codecServerCommand(program);
serverCommands(program);
serveCommand(program);
workerCommand(program);
devCommand(program);
routineCommands(program);
runCommand(program);
runsCommands(program);
evalCommands(program);
improveCommands(program);
tasksCommands(program);
approvalsCommands(program);
messagesCommands(program);
signalsCommands(program);
modelsCommands(program);
auditCommands(program);
tenantsCommands(program);
keysCommands(program);
datasetsCommands(program);
insightsCommand(program);
knowledgeCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof Error && error.name === 'UnauthenticatedError') {
      process.stderr.write(
        'the API server refused the API key: check --api-key or SWARMFLOW_API_KEY (it may be revoked or expired)\n',
      );
    }
    if (process.env.SWARMFLOW_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
