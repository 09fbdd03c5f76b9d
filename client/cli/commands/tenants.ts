import type { Command } from 'commander';
import { z } from 'zod';
import { createTenant, listTenants, setTenantDisabled } from '../../../activities/store/tenants.ts';
import { type Tenant, TenantId } from '../../../schema/identity.ts';
import { parseInput } from '../../../schema/validation.ts';
import { withDatabase } from '../context.ts';
import { printJson, printTable } from '../output.ts';

const CreateArguments = z.strictObject({
  '<id>': TenantId,
  '--name': z
    .string()
    .trim()
    .min(1, 'give a non-empty name, or leave --name out to use the id')
    .max(200)
    .optional(),
});

/** `swarmflow tenants …`: operator commands on the database directly. */
export function tenantsCommands(program: Command): void {
  const tenants = program
    .command('tenants')
    .description('tenants: who owns routines, runs, swarms and keys (direct database access)');

  tenants
    .command('create <id>')
    .description('create a tenant')
    .option('--name <name>', 'a readable name (default: the id)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { name?: string; json?: boolean }) => {
      const args = parseInput(CreateArguments, { '<id>': id, '--name': options.name }, 'arguments');
      const tenant = await withDatabase((db) => createTenant(db, { id: args['<id>'], name: args['--name'] }));
      if (options.json) printJson(tenant);
      else process.stdout.write(`created tenant ${tenant.id} (${tenant.name})\n`);
    });

  tenants
    .command('list')
    .description('list tenants')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await withDatabase(listTenants);
      if (options.json) printJson(list);
      else printTable(list.map(tenantRow));
    });

  for (const [command, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    tenants
      .command(`${command} <id>`)
      .description(
        disabled
          ? 'disable a tenant: its keys and tokens stop authenticating at once (its data stays)'
          : 'enable a disabled tenant again',
      )
      .action(async (id: string) => {
        const tenant = await withDatabase((db) => setTenantDisabled(db, id, disabled));
        process.stdout.write(`tenant ${tenant.id} ${disabled ? 'disabled' : 'enabled'}\n`);
      });
  }
}

function tenantRow(tenant: Tenant): Record<string, string | null> {
  return {
    id: tenant.id,
    name: tenant.name,
    created: tenant.createdAt.toISOString(),
    disabled: tenant.disabledAt?.toISOString() ?? null,
    quotas: tenant.quotas ? JSON.stringify(tenant.quotas) : null,
  };
}
