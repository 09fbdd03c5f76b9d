import './index.ts';

/**
 * Loaded once per worker thread, before any workflow (the bundle's `preloadModules`), so that every
 * workflow shares one evaluation of Swarmflow's modules instead of evaluating them again: a
 * workflow then costs the worker about 13 KiB of heap and half a millisecond to create, not 2.5 MiB
 * and 58 ms, most of which went into building the same zod schemas again (bench case 6).
 *
 * The SDK deep-freezes what preloaded modules export. zod 4 schemas cannot be frozen: they bind
 * methods and rewrite their own parsers on first use. So every module but the SDK's own is handed
 * out behind a view that forwards reads and refuses to be frozen. Sharing is safe because
 * Swarmflow's modules keep no per-workflow state at module scope (test/integration/
 * workflow-modules.test.ts checks the declarations that could), and what zod memoizes is the same
 * for every workflow.
 */

declare const __webpack_modules__: Record<string, unknown>;

interface ModuleRecord {
  exports: object;
}

const moduleCache = (
  globalThis as unknown as { __webpack_module_cache__: Record<string, ModuleRecord | undefined> }
).__webpack_module_cache__;

function unfreezable(exports: object): object {
  return new Proxy(
    {},
    {
      get: (_view, key) => Reflect.get(exports, key),
      has: (_view, key) => Reflect.has(exports, key),
      preventExtensions: () => false,
    },
  );
}

for (const id of Object.keys(__webpack_modules__)) {
  const record = id.includes('/node_modules/@temporalio/') ? undefined : moduleCache[id];
  if (record) record.exports = unfreezable(record.exports);
}
