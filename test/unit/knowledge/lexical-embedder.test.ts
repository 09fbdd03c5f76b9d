import { describe, expect, it } from 'vitest';
import { routineKnowledge } from '../../../activities/knowledge/catalog-knowledge.ts';
import { chunkText } from '../../../activities/knowledge/chunking.ts';
import {
  createLexicalEmbedder,
  lexicalDimensions,
  lexicalRelatedScores,
  lexicalVector,
} from '../../../activities/knowledge/lexical-embedder.ts';
import { rankByLexicalSimilarity } from '../../../activities/knowledge/lexical-ranking.ts';
import { knowledgeRoutines, paraphrasedGoals } from '../../support/knowledge-catalog.ts';

const catalog = knowledgeRoutines.map((routine) => ({
  id: routine.id,
  name: routine.name ?? routine.id,
  description: routine.description ?? null,
  inputSchema: routine.inputSchema ?? null,
  outputSchema: routine.outputSchema ?? null,
}));
const rank = (goal: string) =>
  rankByLexicalSimilarity(goal, catalog, (routine) => {
    const entry = routineKnowledge(routine);
    return `${entry.title}\n${entry.content}`;
  });

describe('the lexical embedder lexical-hash-v1', () => {
  it('names itself and gives unit vectors of its dimension, the same for the same text', async () => {
    const embedder = createLexicalEmbedder();
    expect(embedder).toMatchObject({ name: 'lexical-hash-v1', dimensions: lexicalDimensions });
    const [a, b, empty] = await embedder.embed(['Collect invoices', 'Collect invoices', '']);
    expect(a).toEqual(b);
    for (const vector of [a, empty]) {
      expect(vector).toHaveLength(lexicalDimensions);
      expect(Math.hypot(...(vector ?? []))).toBeCloseTo(1, 6);
    }
  });

  it('meets word forms: "invoices", "invoicing" and "invoiced" are close', () => {
    const dot = (x: number[], y: number[]) => x.reduce((sum, value, i) => sum + value * (y[i] ?? 0), 0);
    expect(dot(lexicalVector('invoices'), lexicalVector('invoiced'))).toBeGreaterThan(0.9);
    expect(dot(lexicalVector('unpaid bills'), lexicalVector('paid bills'))).toBeGreaterThan(0.5);
  });

  it('ranks the routine a paraphrased goal means first, above the related threshold for the best match', () => {
    for (const { goal, routineId } of paraphrasedGoals) {
      const [best, second] = rank(goal);
      expect(best?.item.id, goal).toBe(routineId);
      expect(best?.score, goal).toBeGreaterThanOrEqual(lexicalRelatedScores.best);
      expect(second?.score, goal).toBeLessThan(lexicalRelatedScores.related);
    }
  });

  it('leaves goals unlike every routine below the threshold', () => {
    for (const goal of ['bake a cake', 'Translate a poem into Klingon', 'greet the user']) {
      expect(rank(goal)[0]?.score, goal).toBeLessThan(lexicalRelatedScores.best);
    }
  });
});

describe('chunkText', () => {
  it('packs paragraphs up to the size and overlaps the next chunk with the end of the one before', () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} ${'word '.repeat(30).trim()}.`);
    const chunks = chunkText(paragraphs.join('\n\n'), { size: 400, overlap: 40 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(400 + 40 + 3);
    expect(chunks[1]).toContain('…');
    expect(chunks.join(' ')).toContain('Paragraph 5');
  });

  it('cuts a paragraph longer than the size at sentence ends, and drops empty text', () => {
    const chunks = chunkText(`${'One sentence here. '.repeat(40)}`, { size: 200, overlap: 0 });
    expect(chunks.every((chunk) => chunk.length <= 200 && chunk.endsWith('.'))).toBe(true);
    expect(chunkText('\n\n  \n')).toEqual([]);
  });
});
