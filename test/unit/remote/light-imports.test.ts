import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The remote SDK becomes a package of its own (`@swarmflow/client`): from the engine it may take
 * only schema/ and the error classes, and of packages only zod; everything else is the platform's
 * fetch. This walks what client/remote/ imports, at run time and as types.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const errorModules = [
  'activities/store/errors.ts',
  'activities/store/datasets/dataset-errors.ts',
  'activities/store/similar-ids.ts',
  'client/access-errors.ts',
  'client/control-errors.ts',
  'client/errors.ts',
  'client/eval-errors.ts',
  'client/improvement-errors.ts',
  'client/quotas/quota-exceeded-error.ts',
  'client/run-update-errors.ts',
];
const allowedPackages = ['zod'];

async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map(
    (match) => match[1] as string,
  );
}

async function reachable(): Promise<{ modules: Set<string>; packages: Set<string> }> {
  const start = (await readdir(join(root, 'client/remote'))).map((name) => join(root, 'client/remote', name));
  const modules = new Set<string>();
  const packages = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (modules.has(file)) continue;
    modules.add(file);
    for (const specifier of await importsOf(file)) {
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  }
  return { modules, packages };
}

describe('client/remote', () => {
  it('imports only schema/, the error classes and zod', async () => {
    const { modules, packages } = await reachable();
    const outside = [...modules]
      .map((file) => relative(root, file))
      .filter((path) => !path.startsWith('client/remote/') && !path.startsWith('schema/'))
      .filter((path) => !errorModules.includes(path));
    expect(outside).toEqual([]);
    expect([...packages].filter((name) => !allowedPackages.includes(name))).toEqual([]);
    expect([...modules].some((file) => file.includes('/schema/db/'))).toBe(false);
  });
});
