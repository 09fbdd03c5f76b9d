import type { Command } from 'commander';
import type { PendingApproval } from '../../../schema/approvals.ts';
import { withClient } from '../context.ts';
import { printJson, printTable } from '../output.ts';

interface DecideOptions {
  reason?: string;
  by?: string;
  swarm?: boolean;
}

export function approvalsCommands(program: Command): void {
  const approvals = program
    .command('approvals')
    .description('tool calls waiting for a person to approve them');

  approvals
    .command('list')
    .description('list the tool calls waiting for approval')
    .option('--run <id>', 'only the calls of this run')
    .option('--swarm <id>', "the calls this swarm's agents wait on")
    .option('--json', 'print JSON')
    .action(async (options: { run?: string; swarm?: string; json?: boolean }) => {
      const list = await withClient(async (client) => {
        if (options.swarm !== undefined) return (await client.swarms.get(options.swarm)).pendingApprovals;
        return client.listApprovals(options.run === undefined ? {} : { runId: options.run });
      });
      if (options.json) printJson(list);
      else printTable(list.map(approvalRow));
    });

  for (const [command, approved] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    approvals
      .command(`${command} <id> <call-id>`)
      .description(
        `${command} a tool call waiting in a run (or with --swarm, a swarm)${approved ? '' : ': the model is told it was refused'}`,
      )
      .option('--swarm', 'the id is a swarm id')
      .option('--reason <text>', 'why, for the run and (on a rejection) the model')
      .option('--by <name>', 'who decides')
      .action(async (id: string, callId: string, options: DecideOptions) => {
        const decision = {
          callId,
          approved,
          ...(options.reason ? { reason: options.reason } : {}),
          ...(options.by ? { decidedBy: options.by } : {}),
        };
        const call = await withClient((client) =>
          options.swarm ? client.swarms.decideApproval(id, decision) : client.decideApproval(id, decision),
        );
        process.stdout.write(
          `${approved ? 'approved' : 'rejected'} ${call.server}/${call.tool} (${callId})\n`,
        );
      });
  }
}

function approvalRow(approval: PendingApproval): Record<string, string> {
  return {
    run: approval.runId,
    call: approval.callId,
    tool: `${approval.server}/${approval.tool}`,
    risk: approval.risk,
    args: JSON.stringify(approval.args),
    expires: approval.expiresAt,
  };
}
