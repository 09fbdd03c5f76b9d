import { describe, expect, it } from 'vitest';
import { compositeScore } from '../../../activities/evaluation/scorers/composite.ts';
import { scoreFeel } from '../../../activities/evaluation/scorers/feel-scorer.ts';
import { scoreJsonSchema } from '../../../activities/evaluation/scorers/json-schema-scorer.ts';
import { defaultMatchScorer, scoreMatch } from '../../../activities/evaluation/scorers/match-scorer.ts';
import { scoreNumeric } from '../../../activities/evaluation/scorers/numeric-scorer.ts';
import { Scorer, type ScorerInput, type ScorerResult } from '../../../schema/evaluation.ts';

/** A scorer as a routine file gives it, with its defaults filled in. */
function scorer<K extends Scorer['kind']>(input: ScorerInput & { kind: K }) {
  return Scorer.parse(input) as Extract<Scorer, { kind: K }>;
}

describe('the jsonSchema scorer', () => {
  const schema = {
    type: 'object',
    required: ['total', 'status'],
    properties: { total: { type: 'number' }, status: { enum: ['open', 'shipped'] } },
  };

  it('scores 1 for an output that conforms, by its own schema or the output schema', () => {
    expect(
      scoreJsonSchema(scorer({ kind: 'jsonSchema', schema }), { total: 3, status: 'open' }, undefined),
    ).toEqual({
      score: 1,
      reason: 'the output conforms to the schema',
    });
    expect(scoreJsonSchema(scorer({ kind: 'jsonSchema' }), { total: 3, status: 'open' }, schema).score).toBe(
      1,
    );
  });

  it('scores 0 and names every field that breaks the schema', () => {
    const verdict = scoreJsonSchema(
      scorer({ kind: 'jsonSchema' }),
      { total: 'three', status: 'lost' },
      schema,
    );
    expect(verdict.score).toBe(0);
    expect(verdict.reason).toContain('total: must be number');
    expect(verdict.reason).toContain('status: must be equal to one of the allowed values');
  });

  it('scores 0 when there is no schema at all', () => {
    expect(scoreJsonSchema(scorer({ kind: 'jsonSchema' }), {}, undefined)).toMatchObject({ score: 0 });
  });
});

describe('the match scorer', () => {
  const expected = { total: 30, status: 'shipped', address: { city: 'Lyon', zip: '69001' } };

  it('by default scores the share of expected fields whose values equal the output, nested objects deeply', () => {
    const output = { total: 30, status: 'open', address: { city: 'Lyon', zip: '69002' }, extra: true };
    const verdict = scoreMatch(defaultMatchScorer, output, expected);
    expect(verdict.score).toBeCloseTo(1 / 3);
    expect(verdict.reason).toBe(
      '1 of 3 expected fields match; differing: status: expected "shipped", got "open"; ' +
        'address: expected {"city":"Lyon","zip":"69001"}, got {"city":"Lyon","zip":"69002"}',
    );
  });

  it('compares numbers exactly and says when a field is missing', () => {
    const verdict = scoreMatch(defaultMatchScorer, { total: 30.000001 }, { total: 30, status: 'x' });
    expect(verdict.score).toBe(0);
    expect(verdict.reason).toContain('total: expected 30, got 30.000001');
    expect(verdict.reason).toContain('status: expected "x", got missing');
  });

  it('compares only the given dot paths', () => {
    const match = scorer({ kind: 'match', fields: ['address.city', 'total'] });
    const verdict = scoreMatch(match, { total: 31, address: { city: 'Lyon', zip: 'x' } }, expected);
    expect(verdict).toEqual({
      score: 0.5,
      reason: '1 of 2 expected fields match; differing: total: expected 30, got 31',
    });
  });

  it('in exact mode is all or nothing, and names extra fields too', () => {
    const exact = scorer({ kind: 'match', mode: 'exact' });
    expect(scoreMatch(exact, structuredClone(expected), expected).score).toBe(1);
    const verdict = scoreMatch(exact, { ...expected, note: 'hi' }, expected);
    expect(verdict.score).toBe(0);
    expect(verdict.reason).toContain('note: not expected, got "hi"');
  });

  it('compares a scalar expected output whole', () => {
    expect(scoreMatch(defaultMatchScorer, 'yes', 'yes').score).toBe(1);
    expect(scoreMatch(defaultMatchScorer, 'no', 'yes')).toEqual({
      score: 0,
      reason: 'the output differs: expected "yes", got "no"',
    });
  });

  it('truncates long values and long lists of differences', () => {
    const long = 'x'.repeat(500);
    const many = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, long]));
    const verdict = scoreMatch(defaultMatchScorer, {}, many);
    expect(verdict.reason).toContain('and 3 more');
    expect(verdict.reason.length).toBeLessThan(700);
  });
});

describe('the numeric scorer', () => {
  it('scores 1 within an absolute tolerance and falls linearly to 0 at falloff × tolerance', () => {
    const numeric = scorer({ kind: 'numeric', field: 'total', tolerance: 2 });
    expect(scoreNumeric(numeric, { total: 101.5 }, { total: 100 }).score).toBe(1);
    expect(scoreNumeric(numeric, { total: 103 }, { total: 100 }).score).toBeCloseTo(0.5);
    const far = scoreNumeric(numeric, { total: 110 }, { total: 100 });
    expect(far.score).toBe(0);
    expect(far.reason).toBe('total: expected 100 ±2, got 110, off by 10 (5× the tolerance)');
  });

  it('takes a relative tolerance as a share of the expected value', () => {
    const numeric = scorer({ kind: 'numeric', field: 'a.b', tolerance: 0.1, relative: true, falloff: 3 });
    expect(scoreNumeric(numeric, { a: { b: 205 } }, { a: { b: 200 } }).score).toBe(1);
    expect(scoreNumeric(numeric, { a: { b: 240 } }, { a: { b: 200 } }).score).toBeCloseTo(0.5);
  });

  it('scores 0 when the output or expected value is not a number, saying which', () => {
    const numeric = scorer({ kind: 'numeric', field: 'total', tolerance: 0 });
    expect(scoreNumeric(numeric, { total: '5' }, { total: 5 })).toEqual({
      score: 0,
      reason: 'total: expected 5, got "5"',
    });
    expect(scoreNumeric(numeric, { total: 5 }, {}).reason).toContain('the expected output has no number');
    expect(scoreNumeric(numeric, { total: 5 }, { total: 5 }).score).toBe(1);
  });
});

describe('the feel scorer', () => {
  const input = { quantity: 3, unitPrice: 2.5 };

  it('scores a true assertion 1, a false one 0 with the output shown', () => {
    const feel = scorer({ kind: 'feel', assert: '= output.total = input.quantity * input.unitPrice' });
    expect(scoreFeel(feel, { input, output: { total: 7.5 } })).toEqual({
      score: 1,
      reason: '"output.total = input.quantity * input.unitPrice" holds',
    });
    const wrong = scoreFeel(feel, { input, output: { total: 7 } });
    expect(wrong.score).toBe(0);
    expect(wrong.reason).toBe(
      '"output.total = input.quantity * input.unitPrice" is false for the output {"total":7}',
    );
  });

  it('takes a number in [0, 1] as the score and sees the expected output', () => {
    const feel = scorer({ kind: 'feel', assert: 'if output.total = expected.total then 1 else 0.25' });
    expect(scoreFeel(feel, { input, output: { total: 1 }, expected: { total: 2 } }).score).toBe(0.25);
    expect(scoreFeel(feel, { input, output: { total: 2 }, expected: { total: 2 } }).score).toBe(1);
  });

  it('scores null and other values 0, saying what came', () => {
    expect(
      scoreFeel(scorer({ kind: 'feel', assert: 'output.missing' }), { input, output: {} }).reason,
    ).toContain('gave null');
    const text = scoreFeel(scorer({ kind: 'feel', assert: '"yes"' }), { input, output: {} });
    expect(text).toMatchObject({ score: 0 });
    expect(text.reason).toContain('not true, false or a number in [0, 1]');
  });

  it('scores an expression that fails 0 with the error as the reason', () => {
    const verdict = scoreFeel(scorer({ kind: 'feel', assert: 'output.total >' }), { input, output: {} });
    expect(verdict.score).toBe(0);
    expect(verdict.reason).toMatch(
      /^the assertion could not be evaluated: FEEL expression "output.total >" failed/,
    );
  });
});

describe('the composite score', () => {
  const result = (score: number, weight: number): ScorerResult => ({
    name: `s${score}`,
    kind: 'match',
    score,
    weight,
    reason: '',
  });

  it('is the weighted mean, passing at the pass score', () => {
    const reasons = [result(1, 3), result(0, 1)];
    expect(compositeScore(reasons, 0.75)).toEqual({ score: 0.75, passed: true, reasons });
    expect(compositeScore(reasons, 0.8).passed).toBe(false);
  });

  it('passes a perfect case at pass score 1 whatever the weights', () => {
    expect(compositeScore([result(1, 0.1), result(1, 0.2)], 1)).toMatchObject({ score: 1, passed: true });
  });

  it('fails with no scorers', () => {
    expect(compositeScore([], 0)).toEqual({ score: 0, passed: false, reasons: [] });
  });
});
