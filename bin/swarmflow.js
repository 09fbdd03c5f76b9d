#!/usr/bin/env node
// In the repo, the CLI runs its TypeScript sources (tsx compiles on load: no build step). From an
// installed package, which ships only the build, it runs dist/.
import { existsSync } from 'node:fs';

const sources = new URL('../client/cli/main.ts', import.meta.url);
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else {
  await import(new URL('../dist/client/cli/main.js', import.meta.url).href);
}
