import { describe, expect, it } from 'vitest';
import {
  authorize,
  BuiltInRole,
  builtInRoleTable,
  can,
  canGrant,
  type Identity,
  type Permission,
  PermissionDeniedError,
  permissions,
  RolesConfig,
  resolveRoles,
  rolesWith,
} from '../../../schema/identity.ts';
import { parseInput, ValidationError } from '../../../schema/validation.ts';

// The documented table (schema/identity.ts, README "Tenants, keys and roles"), row by row.
const table: Record<Permission, string> = {
  //                  viewer operator approver author admin
  'routines:read': '    x      x        x       x     x',
  'routines:write': '   .      .        .       x     x',
  'runs:start': '       .      x        .       .     x',
  'runs:read': '        x      x        x       x     x',
  'runs:cancel': '      .      x        .       .     x',
  'runs:control': '     .      x        .       .     x',
  'runs:feedback': '    .      x        x       .     x',
  'swarms:start': '     .      x        .       .     x',
  'swarms:read': '      x      x        x       x     x',
  'swarms:control': '   .      x        .       .     x',
  'approvals:decide': ' .      .        x       .     x',
  'tasks:complete': '   .      .        x       .     x',
  'messages:publish': ' .      x        .       .     x',
  'agents:read': '      x      x        x       x     x',
  'agents:write': '     .      .        .       x     x',
  'audit:read': '       .      .        .       .     x',
  'keys:manage': '      .      .        .       .     x',
  'tenants:manage': '   .      .        .       .     .',
};
const roleOrder = ['viewer', 'operator', 'approver', 'author', 'admin'] as const;

const cases = permissions.flatMap((permission) => {
  const marks = table[permission].trim().split(/\s+/);
  return roleOrder.map((role, i) => ({ role, permission, allowed: marks[i] === 'x' }));
});

const identity = (...roles: string[]): Identity => ({ kind: 'api-key', subject: 's', tenantId: 't', roles });

describe('built-in roles', () => {
  it('the table covers every permission and every built-in role', () => {
    expect(Object.keys(table).sort()).toEqual([...permissions].sort());
    expect([...roleOrder]).toEqual(BuiltInRole.options);
    expect(cases).toHaveLength(permissions.length * roleOrder.length);
  });

  it.each(cases)('$role $permission: $allowed', ({ role, permission, allowed }) => {
    expect(can(identity(role), permission, builtInRoleTable)).toBe(allowed);
  });

  it('several roles grant the union; unknown role names grant nothing', () => {
    const both = identity('approver', 'author');
    expect(can(both, 'approvals:decide', builtInRoleTable)).toBe(true);
    expect(can(both, 'routines:write', builtInRoleTable)).toBe(true);
    expect(can(both, 'runs:start', builtInRoleTable)).toBe(false);
    expect(can(identity('superuser'), 'runs:read', builtInRoleTable)).toBe(false);
    expect(can(identity(), 'runs:read', builtInRoleTable)).toBe(false);
  });

  it('a denial names the permission, the roles held and the roles that have it', () => {
    const error = (() => {
      try {
        authorize(identity('viewer'), 'runs:cancel', builtInRoleTable);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({
      permission: 'runs:cancel',
      heldRoles: ['viewer'],
      grantedBy: ['operator', 'admin'],
    });
    expect((error as Error).message).toBe(
      "permission runs:cancel denied: the caller's roles viewer do not grant it; roles that have it: operator, admin",
    );
    expect(() => authorize(identity('operator'), 'runs:cancel', builtInRoleTable)).not.toThrow();
    expect(rolesWith('tenants:manage', builtInRoleTable)).toEqual([]);
  });

  it('a role can hand out only roles whose permissions it holds', () => {
    expect(canGrant(identity('admin'), 'operator', builtInRoleTable)).toBe(true);
    expect(canGrant(identity('admin'), 'admin', builtInRoleTable)).toBe(true);
    expect(canGrant(identity('operator'), 'admin', builtInRoleTable)).toBe(false);
    expect(canGrant(identity('operator'), 'viewer', builtInRoleTable)).toBe(true);
    expect(canGrant(identity('admin'), 'nobody', builtInRoleTable)).toBe(false);
  });
});

describe('custom roles from config', () => {
  const config = parseInput(
    RolesConfig,
    {
      roles: {
        platform: { inherits: ['admin'], permissions: ['tenants:manage'] },
        'release-manager': { inherits: ['author', 'deployer'] },
        deployer: { permissions: ['runs:start', 'runs:cancel'] },
        auditor: { permissions: ['audit:read'] },
      },
    },
    'roles config',
  );
  const roles = resolveRoles(config);

  it('grant their own permissions plus those of the roles they inherit, transitively', () => {
    expect(can(identity('platform'), 'tenants:manage', roles)).toBe(true);
    expect(can(identity('platform'), 'keys:manage', roles)).toBe(true);
    expect(can(identity('release-manager'), 'routines:write', roles)).toBe(true);
    expect(can(identity('release-manager'), 'runs:start', roles)).toBe(true);
    expect(can(identity('release-manager'), 'approvals:decide', roles)).toBe(false);
    expect(can(identity('auditor'), 'audit:read', roles)).toBe(true);
    expect(can(identity('auditor'), 'runs:read', roles)).toBe(false);
    expect(rolesWith('tenants:manage', roles)).toEqual(['platform']);
    // The built-ins are unchanged.
    expect([...(roles.get('viewer') ?? [])]).toEqual([...(builtInRoleTable.get('viewer') ?? [])]);
  });

  const problems = (value: unknown) => {
    try {
      parseInput(RolesConfig, value, 'roles config');
      return [];
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).problems;
    }
  };

  it('refuses an unknown permission, naming the field', () => {
    expect(problems({ roles: { reviewer: { permissions: ['runs:read', 'runs:delete'] } } })).toEqual([
      expect.stringMatching(
        /^roles\.reviewer\.permissions\.1: unknown permission "runs:delete"; the permissions are routines:read, /,
      ),
    ]);
  });

  it('refuses an unknown parent, a cycle, a redefined built-in, a bad name and an unknown field', () => {
    expect(problems({ roles: { a: { inherits: ['ghost'] } } })).toEqual([
      expect.stringMatching(/^roles\.a\.inherits\.0: unknown role "ghost"; the roles are viewer, operator/),
    ]);
    expect(problems({ roles: { a: { inherits: ['b'] }, b: { inherits: ['a'] } } })).toEqual([
      'roles.a.inherits: roles inherit from each other in a cycle: a -> b -> a',
    ]);
    expect(problems({ roles: { admin: { permissions: [] } } })).toEqual([
      'roles.admin: "admin" is a built-in role and cannot be redefined; give the custom role another name',
    ]);
    expect(problems({ roles: { 'Bad Name': {} } })[0]).toMatch(/^roles\.Bad Name: role names use lowercase/);
    expect(problems({ roles: { a: { permission: ['runs:read'] } } })[0]).toMatch(/^roles\.a: .*permission/);
  });
});
