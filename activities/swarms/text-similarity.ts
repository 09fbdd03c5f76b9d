/**
 * How alike short texts are, for matching a goal or a query to catalog entries: TF-IDF
 * weighted cosine similarity over lightly stemmed words.
 */

import { tokenize } from '../knowledge/word-stems.ts';

export { stem, tokenize } from '../knowledge/word-stems.ts';

export interface Scored<T> {
  item: T;
  /** Cosine similarity, 0 (nothing in common) to 1. */
  score: number;
}

/** Each item scored by the similarity of `textOf(item)` to `query`, most similar first; ties keep their order. */
export function rankBySimilarity<T>(
  query: string,
  items: readonly T[],
  textOf: (item: T) => string,
): Scored<T>[] {
  const documents = items.map((item) => termCounts(tokenize(textOf(item))));
  const idf = inverseDocumentFrequencies(documents);
  const queryVector = weigh(termCounts(tokenize(query)), idf);
  return items
    .map((item, index) => ({ item, score: cosine(queryVector, weigh(documents[index] ?? new Map(), idf)) }))
    .sort((a, b) => b.score - a.score);
}

type Vector = Map<string, number>;

function termCounts(terms: string[]): Vector {
  const counts: Vector = new Map();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/** Smoothed IDF: a term in every document still counts a little, one in none counts most. */
function inverseDocumentFrequencies(documents: Vector[]): (term: string) => number {
  const frequency = new Map<string, number>();
  for (const document of documents) {
    for (const term of document.keys()) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  }
  return (term) => Math.log((1 + documents.length) / (1 + (frequency.get(term) ?? 0))) + 1;
}

function weigh(counts: Vector, idf: (term: string) => number): Vector {
  return new Map([...counts].map(([term, count]) => [term, count * idf(term)]));
}

function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  for (const [term, weight] of a) dot += weight * (b.get(term) ?? 0);
  const norms = norm(a) * norm(b);
  return norms === 0 ? 0 : dot / norms;
}

function norm(vector: Vector): number {
  let sum = 0;
  for (const weight of vector.values()) sum += weight * weight;
  return Math.sqrt(sum);
}
