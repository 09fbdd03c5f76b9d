// `npm run build`: ESM JavaScript and .d.ts for the engine (dist/) and the client package
// (packages/client/dist/), from the same TypeScript sources. Nothing else needs a build: the CLI
// and the tests run the sources through tsx.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules', '.bin', 'tsc');

function compile(project) {
  console.log(`tsc -p ${project}`);
  const result = spawnSync(tsc, ['-p', project], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

for (const folder of ['dist', 'packages/client/dist'])
  rmSync(join(root, folder), { recursive: true, force: true });
compile('tsconfig.build.json');
// The demo's catalog is read by path (client/demo-catalog.ts), next to the built modules.
cpSync(join(root, 'examples', 'demo'), join(root, 'dist', 'examples', 'demo'), { recursive: true });
compile('packages/client/tsconfig.json');
console.log('built dist/ and packages/client/dist/');
