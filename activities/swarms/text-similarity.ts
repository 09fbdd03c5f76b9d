/**
 * How alike short texts are, for matching a goal or a query to catalog entries: TF-IDF
 * weighted cosine similarity over lightly stemmed words.
 */

const stopWords = new Set(
  (
    'a an and are as at be by can do for from has have how i in into is it its me my of on or our so ' +
    'that the their then them there these this those to up us we what when which who will with you your'
  ).split(' '),
);

/** Lowercase words without stop words, each lightly stemmed so "collects", "collected" and "collect" meet. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1 && !stopWords.has(word))
    .map(stem);
}

/** Strips plural and verb endings and a final "e"; both sides of a comparison go through it, so it need only be consistent. */
export function stem(word: string): string {
  let base = word;
  if (base.endsWith('ies') && base.length > 4) base = `${base.slice(0, -3)}y`;
  else if (/(ss|x|z|ch|sh)es$/.test(base)) base = base.slice(0, -2);
  else if (base.endsWith('s') && !base.endsWith('ss') && base.length > 3) base = base.slice(0, -1);
  const verbEnding = /(ing|ed)$/.exec(base)?.[0];
  if (verbEnding && base.length - verbEnding.length >= 3) {
    base = base.slice(0, -verbEnding.length);
    if (/([^aeiouls])\1$/.test(base)) base = base.slice(0, -1);
  }
  if (base.endsWith('e') && base.length > 3) base = base.slice(0, -1);
  return base;
}

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
