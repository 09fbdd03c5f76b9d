import type { Command } from 'commander';
import { z } from 'zod';
import {
  createTenant,
  getTenant,
  listTenants,
  type QuotaChanges,
  setTenantDisabled,
  setTenantQuotas,
} from '../../../activities/store/tenants.ts';
import { type Tenant, TenantId, type TenantQuotas } from '../../../schema/identity.ts';
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

/** A quota option's value: a number sets the quota, `none` removes it (unlimited). */
const QuotaOption = (integer: boolean) =>
  z.union([
    z.literal('none').transform(() => null),
    z.coerce
      .number({ error: 'give a number, or "none" for unlimited' })
      .positive('give a positive number, or "none" for unlimited')
      .refine((n) => !integer || Number.isInteger(n), 'give a whole number, or "none" for unlimited'),
  ]);

const QuotaArguments = z.strictObject({
  '--max-concurrent-runs': QuotaOption(true).optional(),
  '--max-concurrent-swarms': QuotaOption(true).optional(),
  '--credits-per-day': QuotaOption(false).optional(),
});

/** Which quota each option of `tenants quotas` changes. */
const quotaOptions = {
  '--max-concurrent-runs': 'maxConcurrentRuns',
  '--max-concurrent-swarms': 'maxConcurrentSwarms',
  '--credits-per-day': 'creditsPerDay',
} as const satisfies Record<keyof z.infer<typeof QuotaArguments>, keyof TenantQuotas>;

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

  tenants
    .command('quotas <id>')
    .description(
      'show a tenant\'s quotas, or change them: a number sets one, "none" makes it unlimited (starts over one get HTTP 429)',
    )
    .option('--max-concurrent-runs <n>', 'runs started from outside that may run at once')
    .option('--max-concurrent-swarms <n>', 'top-level swarms that may run at once')
    .option('--credits-per-day <n>', 'credits its steps may use per UTC day')
    .option('--json', 'print JSON')
    .action(async (id: string, options: Record<string, string | boolean | undefined>) => {
      const args = parseInput(
        QuotaArguments,
        {
          '--max-concurrent-runs': options.maxConcurrentRuns,
          '--max-concurrent-swarms': options.maxConcurrentSwarms,
          '--credits-per-day': options.creditsPerDay,
        },
        'arguments',
      );
      const changes: QuotaChanges = {};
      for (const [option, quota] of Object.entries(quotaOptions)) {
        const value = args[option as keyof typeof quotaOptions];
        if (value !== undefined) changes[quota] = value;
      }
      const tenant = await withDatabase((db) =>
        Object.keys(changes).length === 0 ? getTenant(db, id) : setTenantQuotas(db, id, changes),
      );
      if (options.json) printJson(tenant);
      else process.stdout.write(`tenant ${tenant.id} quotas: ${describeQuotas(tenant.quotas)}\n`);
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

/** `maxConcurrentRuns 2, creditsPerDay 50; unlimited: maxConcurrentSwarms`. */
function describeQuotas(quotas: TenantQuotas | null): string {
  const names = Object.values(quotaOptions);
  const set = names
    .filter((quota) => quotas?.[quota] !== undefined)
    .map((quota) => `${quota} ${quotas?.[quota]}`);
  const unlimited = names.filter((quota) => quotas?.[quota] === undefined);
  return [set.join(', '), unlimited.length > 0 ? `unlimited: ${unlimited.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
}
