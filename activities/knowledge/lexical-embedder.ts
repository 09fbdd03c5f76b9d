import type { Embedder } from './embedder.ts';
import type { RelatedScores } from './scored.ts';
import { tokenize } from './word-stems.ts';

/**
 * `lexical-hash-v1`, the offline default embedder. It is LEXICAL, not a language model: texts
 * are alike when they share words, not when they mean the same thing in other words. It hashes
 * features into 2000 dimensions (the "hashing trick"; the most an HNSW index takes, so that
 * unrelated words rarely share a dimension) and L2-normalises the result, so pgvector's
 * cosine distance compares word overlap:
 * - word unigrams (lowercase, stop words dropped, lightly stemmed: "invoices", "invoicing" → "invoic"), weight 1;
 * - word bigrams of those, weight 0.5, so word order counts a little;
 * - character trigrams of each stemmed word with its boundaries ("#inv", "inv", ... "ic#"), weight 2
 *   in all per word, so related word forms ("paid"/"unpaid", "remind"/"reminder", "hired"/"hire") overlap
 *   nearly as much as equal words do.
 * A feature's weights add up over the text, damped (1 + ln w above 1) so repetition does not
 * drown the rest. Each feature's sign comes from its hash too, so collisions cancel out on average
 * instead of adding up.
 *
 * No npm package here ships a small embedding model's weights that load without the network
 * (transformers.js and the packages built on it download from a model hub at run time), so the
 * offline default is this named lexical embedder; set `embeddings` in the deployment config to use
 * a real model behind any OpenAI-compatible `/embeddings` endpoint.
 */
export const lexicalEmbedderName = 'lexical-hash-v1';
export const lexicalDimensions = 2000;

const unigramWeight = 1;
const bigramWeight = 0.5;
const trigramWeightPerWord = 2;

/**
 * Calibrated on paraphrased goals against a small catalog (test/support/knowledge-catalog.ts and
 * test/unit/knowledge/lexical-embedder.test.ts): a goal and the routine it means, sharing a content
 * word or a word form, score about 0.12 to 0.8; texts sharing none score below about 0.085 (hash
 * collisions and shared word endings). A search's best match counts from 0.1, the others from 0.17.
 */
export const lexicalRelatedScores: RelatedScores = { related: 0.17, best: 0.1 };

export function createLexicalEmbedder(): Embedder {
  return {
    name: lexicalEmbedderName,
    dimensions: lexicalDimensions,
    relatedScores: lexicalRelatedScores,
    async embed(texts) {
      return texts.map(lexicalVector);
    },
  };
}

/** The lexical vector of one text; a text with no words at all hashes its raw characters instead. */
export function lexicalVector(text: string): number[] {
  const features = new Map<string, number>();
  const add = (feature: string, weight: number) =>
    features.set(feature, (features.get(feature) ?? 0) + weight);
  const words = tokenize(text);
  for (const [index, word] of words.entries()) {
    add(`w:${word}`, unigramWeight);
    const next = words[index + 1];
    if (next !== undefined) add(`b:${word} ${next}`, bigramWeight);
    const grams = trigrams(`#${word}#`);
    for (const gram of grams) add(`c:${gram}`, trigramWeightPerWord / grams.length);
  }
  if (words.length === 0) add(`raw:${text.trim().toLowerCase()}`, 1);
  const vector = new Array<number>(lexicalDimensions).fill(0);
  for (const [feature, weight] of features) {
    const hash = fnv1a(feature);
    const index = hash % lexicalDimensions;
    const sign = hash >>> 31 === 0 ? 1 : -1;
    vector[index] = (vector[index] ?? 0) + sign * sublinear(weight);
  }
  return normalise(vector);
}

/** Repeats count less and less (1 + ln w above 1), so a word said ten times does not drown the rest. */
function sublinear(weight: number): number {
  return weight > 1 ? 1 + Math.log(weight) : weight;
}

function trigrams(word: string): string[] {
  const grams: string[] = [];
  for (let i = 0; i + 3 <= word.length; i++) grams.push(word.slice(i, i + 3));
  return grams;
}

/** 32-bit FNV-1a over UTF-16 code units: fast, stable across platforms and versions. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function normalise(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm === 0 ? vector : vector.map((value) => value / norm);
}
