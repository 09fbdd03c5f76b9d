import { canonicalJson } from './canonical-json.ts';
import type { DatasetSplit } from './dataset.ts';
import type { EvalCase } from './evaluation.ts';

/**
 * Which split a case falls in: a seeded hash of the case's content (its input, expected output and
 * source run, keys sorted) mapped onto [0, 1); below `validationShare` it validates, else it trains.
 * The same case with the same seed lands in the same split in every version and on every machine,
 * whatever its place in the list. Pure.
 */
export function splitOfCase(evalCase: EvalCase, validationShare: number, seed: string): DatasetSplit {
  const key = canonicalJson({
    input: evalCase.input,
    expected: evalCase.expected ?? null,
    sourceRunId: evalCase.sourceRunId ?? null,
  });
  return unitHash(`${seed}\u0000${key}`) < validationShare ? 'validation' : 'train';
}

/** cyrb53, a 53-bit string hash, scaled to [0, 1). Stable across platforms; not cryptographic. */
function unitHash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hash = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return hash / 2 ** 53;
}
