import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../../../activities/store/api-keys.ts';
import type { ApiKeySummary } from '../../../schema/api/operations.ts';
import {
  ApiKeyId,
  ApiKeyName,
  type ApiKeyRecord,
  builtInRoleTable,
  parseExpiry,
  TenantId,
} from '../../../schema/identity.ts';
import { parseInput, ValidationError } from '../../../schema/validation.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../remote/swarmflow-client.ts';
import { remoteTarget, withDatabase } from '../context.ts';
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
  tenant?: string;
  role: string;
  name: string;
  expires?: string;
  json?: boolean;
}

/**
 * `swarmflow keys …`: operator commands on the database directly, or, with `--url`, the caller's
 * own tenant's keys through the API (`keys:manage`).
 */
export function keysCommands(program: Command): void {
  const keys = program
    .command('keys')
    .description(
      "API keys: a tenant's credentials for the API (on the database directly; with --url, the key's own tenant through the API)",
    );

  keys
    .command('create')
    .description('create an API key and print its secret, this once only')
    .option('--tenant <id>', "the tenant the key acts for (direct mode; with --url, the caller's tenant)")
    .requiredOption('--role <role>', `its role: ${knownRoles.join(', ')}`)
    .requiredOption('--name <name>', 'what the key is for, shown in `keys list`')
    .option(
      '--expires <when>',
      'when it expires: a span (12h, 90d, 8w), a date (2026-12-31) or an ISO date-time',
    )
    .option('--json', 'print JSON {"id", "key"}')
    .action(async (flags: CreateFlags) => {
      const remote = remoteClient(flags.tenant);
      if (remote) {
        const created = await remote.keys.create({
          name: flags.name,
          role: flags.role,
          ...(flags.expires === undefined ? {} : { expires: flags.expires }),
        });
        if (flags.json) return printJson(created);
        return printCreated(created.id, `with role ${flags.role}`, created.key);
      }
      if (flags.tenant === undefined) {
        throw new ValidationError('options', ['--tenant: required, the tenant the key acts for']);
      }
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
      printCreated(
        created.id,
        `for tenant ${created.record.tenantId} with role ${created.record.role}${expires}`,
        created.key,
      );
    });

  keys
    .command('list')
    .description('list API keys, revoked ones too (never their secrets)')
    .option('--tenant <id>', "only this tenant's keys")
    .option('--json', 'print JSON')
    .action(async (flags: { tenant?: string; json?: boolean }) => {
      const remote = remoteClient(flags.tenant);
      if (remote) {
        const list = await remote.keys.list();
        if (flags.json) return printJson(list);
        return printTable(list.map(remoteKeyRow));
      }
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
      const remote = remoteClient(undefined);
      if (remote) {
        await remote.keys.revoke(keyId);
        process.stdout.write(`revoked API key ${keyId}\n`);
        return;
      }
      const record = await withDatabase((db) => revokeApiKey(db, keyId));
      process.stdout.write(
        `revoked API key ${record.id} (${record.name}, tenant ${record.tenantId}) at ${record.revokedAt?.toISOString()}\n`,
      );
    });
}

/**
 * The remote client of `--url`, or undefined in direct mode.
 * @throws ValidationError when `--tenant` is given with `--url`: the API acts for the key's tenant.
 */
function remoteClient(tenant: string | undefined): RemoteSwarmflowClient | undefined {
  const target = remoteTarget();
  if (!target) return undefined;
  if (tenant !== undefined) {
    throw new ValidationError('options', [
      "--tenant: with --url, keys are the API key's own tenant's; leave --tenant out",
    ]);
  }
  return new RemoteSwarmflowClient(target);
}

function printCreated(id: string, what: string, key: string): void {
  process.stdout.write(
    `created API key ${id} ${what}\n${key}\nthis is the only time the key is shown: store it now\n`,
  );
}

function remoteKeyRow(key: ApiKeySummary): Record<string, string | null> {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    created: key.createdAt,
    expires: key.expiresAt,
    'last used': key.lastUsedAt,
    revoked: key.revokedAt,
  };
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
