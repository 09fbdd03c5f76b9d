import { lexicalVector } from './lexical-embedder.ts';
import type { Scored } from './scored.ts';

/**
 * Each item scored by the cosine similarity of the lexical embeddings (`lexical-hash-v1`) of
 * `textOf(item)` and `query`, most similar first; ties keep their order. The same numbers the
 * knowledge base computes in PostgreSQL for that embedder, for lists that are not stored there
 * (a remote client's routine list).
 */
export function rankByLexicalSimilarity<T>(
  query: string,
  items: readonly T[],
  textOf: (item: T) => string,
): Scored<T>[] {
  const queryVector = lexicalVector(query);
  return items
    .map((item) => ({ item, score: round(dot(queryVector, lexicalVector(textOf(item)))) }))
    .sort((a, b) => b.score - a.score);
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

const round = (score: number) => Math.round(score * 10_000) / 10_000;
