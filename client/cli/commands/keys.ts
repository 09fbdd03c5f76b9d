import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../../../activities/store/api-keys.ts';
import {
  ApiKeyId,
  ApiKeyName,
  type ApiKeyRecord,
  builtInRoleTable,
  parseExpiry,
  TenantId,
} from '../../../schema/identity.ts';
import { parseInput } from '../../../schema/validation.ts';
import { withDatabase } from '../context.ts';
import { printJson, printTable } from '../output.ts';

const knownRoles = [...builtInRoleTable.keys()];

const Expiry = z.string().transform((text, context) => {
  try {
    return parseExpiry(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const CreateOptions = z.strictObject({
  '--tenant': TenantId,
  '--role': z.string().refine((role) => builtInRoleTable.has(role), {
    error: (issue) => `unknown role ${JSON.stringify(issue.input)}; the roles are ${knownRoles.join(', ')}`,
  }),
  '--name': ApiKeyName,
  '--expires': Expiry.optional(),
});

interface CreateFlags {
  tenant: string;
  role: string;
  name: string;
  expires?: string;
  json?: boolean;
}

/** `swarmflow keys …`: operator commands on the database directly. */
export function keysCommands(program: Command): void {
  const keys = program
    .command('keys')
    .description("API keys: a tenant's credentials for the API (direct database access)");

  keys
    .command('create')
    .description('create an API key and print its secret, this once only')
    .requiredOption('--tenant <id>', 'the tenant the key acts for')
    .requiredOption('--role <role>', `its role: ${knownRoles.join(', ')}`)
    .requiredOption('--name <name>', 'what the key is for, shown in `keys list`')
    .option(
      '--expires <when>',
      'when it expires: a span (12h, 90d, 8w), a date (2026-12-31) or an ISO date-time',
    )
    .option('--json', 'print JSON {"id", "key"}')
    .action(async (flags: CreateFlags) => {
      const options = parseInput(
        CreateOptions,
        { '--tenant': flags.tenant, '--role': flags.role, '--name': flags.name, '--expires': flags.expires },
        'options',
      );
      const created = await withDatabase((db) =>
        createApiKey(db, {
          tenantId: options['--tenant'],
          role: options['--role'],
          name: options['--name'],
          expiresAt: options['--expires'],
          createdBy: `cli:${operatorName()}`,
        }),
      );
      if (flags.json) return printJson({ id: created.id, key: created.key });
      const expires = created.record.expiresAt ? `, expires ${created.record.expiresAt.toISOString()}` : '';
      process.stdout.write(
        `created API key ${created.id} for tenant ${created.record.tenantId} with role ${created.record.role}${expires}\n` +
          `${created.key}\n` +
          'this is the only time the key is shown: store it now\n',
      );
    });

  keys
    .command('list')
    .description('list API keys, revoked ones too (never their secrets)')
    .option('--tenant <id>', "only this tenant's keys")
    .option('--json', 'print JSON')
    .action(async (flags: { tenant?: string; json?: boolean }) => {
      const tenantId =
        flags.tenant === undefined ? undefined : parseInput(TenantId, flags.tenant, '--tenant');
      const list = await withDatabase((db) => listApiKeys(db, { tenantId }));
      if (flags.json) printJson(list);
      else printTable(list.map(keyRow));
    });

  keys
    .command('revoke <id>')
    .description('revoke an API key: it stops authenticating at once')
    .action(async (id: string) => {
      const keyId = parseInput(ApiKeyId, id, 'key id');
      const record = await withDatabase((db) => revokeApiKey(db, keyId));
      process.stdout.write(
        `revoked API key ${record.id} (${record.name}, tenant ${record.tenantId}) at ${record.revokedAt?.toISOString()}\n`,
      );
    });
}

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER || 'unknown';
  }
}

function keyRow(key: ApiKeyRecord): Record<string, string | null> {
  return {
    id: key.id,
    tenant: key.tenantId,
    name: key.name,
    role: key.role,
    created: key.createdAt.toISOString(),
    expires: key.expiresAt?.toISOString() ?? null,
    'last used': key.lastUsedAt?.toISOString() ?? null,
    revoked: key.revokedAt?.toISOString() ?? null,
  };
}
