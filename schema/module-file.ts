import { fileURLToPath } from 'node:url';

/**
 * The path of a module next to `base` (an `import.meta.url`), named without its extension: `.ts`
 * when `base` runs from the TypeScript sources (the repo, through tsx), `.js` when it runs from
 * the built package (`dist/`). For modules that are loaded by path rather than imported: the
 * workflow bundle's entry, and the scripts child processes start with.
 */
export function moduleFile(base: string, relativeWithoutExtension: string): string {
  const extension = new URL(base).pathname.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`${relativeWithoutExtension}${extension}`, base));
}
