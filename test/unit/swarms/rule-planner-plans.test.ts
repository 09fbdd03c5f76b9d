import { describe, expect, it } from 'vitest';
import { routineKnowledge } from '../../../activities/knowledge/catalog-knowledge.ts';
import { lexicalRelatedScores } from '../../../activities/knowledge/lexical-embedder.ts';
import { rankByLexicalSimilarity } from '../../../activities/knowledge/lexical-ranking.ts';
import type { RoutineInterface } from '../../../activities/store/routine-store.ts';
import { planRefusal } from '../../../activities/swarms/plan-refusal.ts';
import { planFromRoutines } from '../../../activities/swarms/rule-planner.ts';
import type { Agent } from '../../../schema/agent.ts';

const routine = (id: string, description: string, needs: string[], gives: string[]): RoutineInterface => ({
  id,
  name: id,
  description,
  inputSchema: { type: 'object', required: needs },
  outputSchema: { type: 'object', properties: Object.fromEntries(gives.map((key) => [key, {}])) },
});

const catalog = [
  routine('quote-price', 'Prices a launch order', ['quantity', 'unitPrice'], ['total']),
  routine('write-brief', 'Writes the launch brief from the order total', ['total', 'product'], ['brief']),
  routine('send-invoice', 'Sends an invoice by mail', ['customer'], []),
];
const leader = { id: 'lead', role: 'leader', routines: ['*'] } as unknown as Agent;
/** The catalog ranked as the knowledge base ranks it with the offline embedder. */
const rank = (goal: string) =>
  rankByLexicalSimilarity(goal, catalog, (r) => {
    const entry = routineKnowledge(r);
    return `${entry.title}\n${entry.content}`;
  });
const plan = (goal: string, input: Record<string, unknown>) =>
  planFromRoutines({
    ranked: rank(goal),
    relatedScores: lexicalRelatedScores,
    team: [leader],
    maxSubtasks: 5,
    input: input as never,
  });

describe('the rule-based planner', () => {
  it('plans the routines like the goal when their required input is supplied or produced', () => {
    const result = plan('Price the launch order and write the launch brief', {
      quantity: 3,
      unitPrice: 2,
      product: 'lamp',
    });
    expect(result.kind).toBe('planned');
    expect(result.kind === 'planned' && result.subtasks.map(({ id, dependsOn }) => [id, dependsOn])).toEqual([
      ['quote-price', []],
      ['write-brief', ['quote-price']],
    ]);
  });

  it('names, per routine, the required fields neither the input nor a dependency gives', () => {
    const result = plan('Price the launch order and write the launch brief', { quantity: 3 });
    expect(result).toMatchObject({
      kind: 'missing-input',
      missing: [
        { routineId: 'quote-price', fields: ['unitPrice'] },
        { routineId: 'write-brief', fields: ['product'] },
      ],
    });
  });

  it('finds no match for a goal sharing no word with any routine, and names the nearest with scores', () => {
    const result = plan('Translate a poem into Klingon', {});
    expect(result.kind).toBe('no-match');
    const nearest = result.kind === 'no-match' ? result.nearest : [];
    expect(nearest.map(({ routineId }) => routineId).sort()).toEqual([
      'quote-price',
      'send-invoice',
      'write-brief',
    ]);
    for (const { score } of nearest) expect(Math.abs(score)).toBeLessThan(lexicalRelatedScores.best);
  });

  it('plans the routine a paraphrased goal means, by shared word forms', () => {
    const result = plan('Mail the bill to our customer', { customer: 'ACME' });
    expect(result.kind === 'planned' && result.subtasks.map(({ id }) => id)).toEqual(['send-invoice']);
  });
});

describe('planRefusal', () => {
  it('a goal with no match: the goal, the nearest routines with scores, and how to register one', () => {
    const failure = planRefusal('Fly', {
      kind: 'no-match',
      nearest: [{ routineId: 'quote-price', score: 0.12 }],
    });
    expect(failure).toMatchObject({ type: 'NoMatchingRoutine', nonRetryable: true });
    expect(failure.message).toBe(
      'the rule-based planner found no routine matching the goal "Fly"; nearest: quote-price (0.12)',
    );
    expect(failure.details?.[0]).toEqual({ hint: expect.stringContaining('swarmflow routine register') });
  });

  it('an empty catalog says so', () => {
    expect(planRefusal('Fly', { kind: 'no-match', nearest: [] }).message).toMatch(
      /the routine catalog is empty$/,
    );
  });

  it('missing input: each routine with its fields, and the --input flag with every field once, sorted', () => {
    const failure = planRefusal('Launch', {
      kind: 'missing-input',
      subtasks: [],
      missing: [
        { routineId: 'quote-price', fields: ['unitPrice', 'quantity'] },
        { routineId: 'write-brief', fields: ['quantity'] },
      ],
    });
    expect(failure.type).toBe('MissingRoutineInput');
    expect(failure.message).toContain('quote-price needs unitPrice, quantity; write-brief needs quantity');
    expect(failure.details?.[0]).toEqual({
      hint: `supply them as the swarm's input: --input '{"quantity": …, "unitPrice": …}' (the SDK's \`input\` option)`,
    });
  });
});
