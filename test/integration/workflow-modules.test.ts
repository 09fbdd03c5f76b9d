import { readFile } from 'node:fs/promises';
import { expect, inject, it } from 'vitest';

const projectRoot = new URL('../../', import.meta.url);

/** A module-level cache that holds the same value for every workflow, so sharing it is safe. */
const SHARED_ALIKE = ['workflows/swarm/tool-descriptors.ts: let descriptors'];

/** Top-level declarations that can hold state: `let`/`var`, and collections not typed read-only. */
const MUTABLE_DECLARATION = /^(?:export )?(?:(?:let|var) \w+|const \w+ = new (?:Map|Set|WeakMap|WeakSet)\b)/;

/** The project's own modules in the workflow bundle, e.g. `workflows/run-workflow.ts`. */
async function bundledSourceFiles(): Promise<string[]> {
  const bundle = await readFile(inject('workflowBundlePath'), 'utf8');
  const ids = [...bundle.matchAll(/^\/\*\*\*\/ "\.\/([^"]+\.ts)"/gm)].map((match) => match[1] as string);
  return [...new Set(ids)].filter((id) => !id.startsWith('node_modules/'));
}

it('workflow modules keep no per-workflow state at module scope: every workflow of a worker shares them', async () => {
  const files = await bundledSourceFiles();
  expect(files).toContain('workflows/run-workflow.ts');
  const found: string[] = [];
  for (const file of files) {
    const lines = (await readFile(new URL(file, projectRoot), 'utf8')).split('\n');
    for (const line of lines) {
      const declaration = MUTABLE_DECLARATION.exec(line)?.[0];
      if (declaration) found.push(`${file}: ${declaration.replace(/^export /, '')}`);
    }
  }
  expect(found).toEqual(SHARED_ALIKE);
});
