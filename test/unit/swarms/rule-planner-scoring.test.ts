import { describe, expect, it } from 'vitest';
import { rankByLexicalSimilarity } from '../../../activities/knowledge/lexical-ranking.ts';
import { stem, tokenize } from '../../../activities/knowledge/word-stems.ts';
import type { RoutineInterface } from '../../../activities/store/routine-store.ts';
import { orderByDependencies } from '../../../activities/swarms/rule-planner.ts';

describe('tokenize', () => {
  it('lowercases, splits on anything but letters and digits, and drops stop words and single letters', () => {
    expect(tokenize('Collect-the_FACTS, and 42 x-rays!')).toEqual(['collect', 'fact', '42', 'ray']);
  });

  it('meets the forms of one word at one stem', () => {
    const forms = ['collect', 'collects', 'collected', 'collecting'];
    expect(new Set(forms.map(stem))).toEqual(new Set(['collect']));
    expect(new Set(['write', 'writes', 'writing'].map(stem))).toEqual(new Set(['writ']));
    expect(new Set(['run', 'running', 'runs'].map(stem))).toEqual(new Set(['run']));
    expect(new Set(['category', 'categories'].map(stem))).toEqual(new Set(['category']));
    expect(new Set(['box', 'boxes'].map(stem))).toEqual(new Set(['box']));
    expect(stem('process')).toBe('process');
  });

  it('leaves short words whole', () => {
    expect(['used', 'need', 'is', 'bus'].map(stem)).toEqual(['used', 'need', 'is', 'bus']);
  });
});

describe('rankByLexicalSimilarity', () => {
  const texts = [
    'collect-facts Collect facts Collects the facts about a topic',
    'collect-figures Collect figures Collects the sales figures of a topic',
    'write-report Write report Writes a report from facts and figures',
    'slow-step Slow step Waits a while',
  ];
  const rank = (query: string) => rankByLexicalSimilarity(query, texts, (text) => text);

  it('puts the closest text first and gives texts with nothing in common about 0', () => {
    const ranked = rank('write a report');
    expect(ranked[0]?.item).toBe(texts[2]);
    expect(Math.abs(ranked.find(({ item }) => item === texts[3])?.score ?? 1)).toBeLessThan(0.05);
  });

  it('prefers the text sharing more of the query', () => {
    const [best, second] = rank('collect the sales figures');
    expect(best?.item).toBe(texts[1]);
    expect(best?.score).toBeGreaterThan(second?.score ?? 1);
  });

  it('scores at most 1, and 1 for the same text', () => {
    for (const { score } of rank('collect facts and figures for a report'))
      expect(score).toBeLessThanOrEqual(1);
    expect(rank(texts[0] as string)[0]?.score).toBe(1);
  });
});

describe('orderByDependencies', () => {
  const routine = (id: string, needs: string[], gives: string[]): RoutineInterface => ({
    id,
    name: id,
    description: null,
    inputSchema: { type: 'object', required: needs },
    outputSchema: { type: 'object', properties: Object.fromEntries(gives.map((key) => [key, {}])) },
  });
  const order = (routines: RoutineInterface[]) =>
    orderByDependencies(routines).map(({ routine: r, dependsOn }) => [r.id, dependsOn.map((d) => d.id)]);

  it('places a routine after those whose outputs its input requires', () => {
    const report = routine('report', ['facts', 'figures'], ['report']);
    const facts = routine('facts', [], ['facts']);
    const figures = routine('figures', [], ['figures']);
    expect(order([report, figures, facts])).toEqual([
      ['figures', []],
      ['facts', []],
      ['report', ['figures', 'facts']],
    ]);
  });

  it('breaks a cycle at the first routine, which depends only on what is placed', () => {
    const a = routine('a', ['b'], ['a']);
    const b = routine('b', ['a'], ['b']);
    expect(order([a, b])).toEqual([
      ['a', []],
      ['b', ['a']],
    ]);
  });
});
