#!/usr/bin/env node
// Runs the TypeScript CLI directly: tsx compiles on load, so the repo needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../client/cli/main.ts');
