import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { judgeThrough } from '../../../activities/evaluation/judge-model.ts';
import { scoreJudge } from '../../../activities/evaluation/scorers/judge-scorer.ts';
import { scorePairwise } from '../../../activities/evaluation/scorers/pairwise-scorer.ts';
import { ModelRegistry } from '../../../activities/models/model-registry.ts';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';
import { DeploymentConfig } from '../../../schema/deployment-config.ts';
import { Scorer } from '../../../schema/evaluation.ts';
import type { ScriptTurnInput } from '../../../schema/models.ts';

/** A judge asking the scripted model "judge" through the metered LLM turn, priced per 1k tokens. */
function judgeScripted(turns: ScriptTurnInput[]) {
  const deployment = DeploymentConfig.parse({
    models: { judge: { provider: 'scripted', turns } },
    defaultModel: 'judge',
    prices: { models: { judge: { inputPer1k: 1, outputPer1k: 2 } } },
  });
  const dependencies = {
    models: new ModelRegistry(deployment),
    breakers: new CircuitBreakers(),
    prices: deployment.prices,
  };
  return judgeThrough(dependencies, new AbortController().signal);
}

const judge = Scorer.parse({
  kind: 'judge',
  rubric: 'The reply names the city and the zip code.',
}) as Extract<Scorer, { kind: 'judge' }>;
const pairwise = Scorer.parse({ kind: 'pairwise' }) as Extract<Scorer, { kind: 'pairwise' }>;
const input = { question: 'Where does the order go?' };

describe('the judge scorer', () => {
  it('maps the grade onto [0, 1], keeps the judge reason, and meters the call', async () => {
    const ask = judgeScripted([{ object: { grade: 4, reason: 'the zip code is missing' } }]);
    const verdict = await scoreJudge(judge, { input, output: { reply: 'Lyon' } }, ask);
    expect(verdict.score).toBe(0.75);
    expect(verdict.reason).toBe('graded 4 on 1-5: the zip code is missing');
    expect(verdict.usage.inputTokens).toBeGreaterThan(0);
    expect(verdict.usage.outputTokens).toBeGreaterThan(0);
    const { inputTokens, outputTokens } = verdict.usage;
    expect(verdict.usage.credits).toBeCloseTo((inputTokens + 2 * outputTokens) / 1000, 6);
  });

  it('shows the judge the rubric, the scale, the input, the expected and the actual output', async () => {
    // The turn answers only when the prompt carries all of it.
    const ask = judgeScripted([
      {
        match:
          'names the city[\\s\\S]*from 1 \\(worst\\) to 5[\\s\\S]*Where does[\\s\\S]*Expected output[\\s\\S]*69001[\\s\\S]*Output to grade:\\s*\\{"reply":"Lyon"\\}',
        object: { grade: 5, reason: 'complete' },
      },
    ]);
    const verdict = await scoreJudge(
      judge,
      { input, output: { reply: 'Lyon' }, expected: { zip: '69001' } },
      ask,
    );
    expect(verdict.score).toBe(1);
  });

  it('sends an answer off the scale back, and counts both calls', async () => {
    const ask = judgeScripted([
      { object: { grade: 9, reason: 'excellent' } },
      { match: 'Your output was invalid: grade', object: { grade: 1, reason: 'wrong city' } },
    ]);
    const verdict = await scoreJudge(judge, { input, output: { reply: 'Paris' } }, ask);
    expect(verdict).toMatchObject({ score: 0, reason: 'graded 1 on 1-5: wrong city' });
    const single = await scoreJudge(
      judge,
      { input, output: { reply: 'Paris' } },
      judgeScripted([{ object: { grade: 1, reason: 'x' } }]),
    );
    expect(verdict.usage.inputTokens).toBeGreaterThan(single.usage.inputTokens);
  });

  it('fails non-retryably when the judge never gives a valid answer', async () => {
    const ask = judgeScripted([{ text: 'I think it is fine' }, { text: 'fine' }, { text: 'really fine' }]);
    const error = await scoreJudge(judge, { input, output: 'x' }, ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'JudgeAnswerInvalid', nonRetryable: true });
    expect((error as Error).message).toContain('the answer is not JSON');
  });

  it('classifies a model error like any LLM call', async () => {
    const ask = judgeScripted([{ object: { grade: 3, reason: 'x' } }]);
    const unknown = Scorer.parse({ kind: 'judge', rubric: 'r', model: 'nope' }) as typeof judge;
    const error = await scoreJudge(unknown, { input, output: 'x' }, ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'ConfigurationError', nonRetryable: true });
    expect((error as Error).message).toContain('unknown model "nope"');
  });
});

describe('the pairwise scorer', () => {
  const good = { reply: 'Lyon 69001' };
  const bad = { reply: 'somewhere' };

  it('asks both orders: an output better in both scores 1', async () => {
    const ask = judgeScripted([
      { match: 'Answer A:\\s*\\{"reply":"Lyon 69001"\\}', object: { winner: 'A', reason: 'A has the zip' } },
      { match: 'Answer A:\\s*\\{"reply":"somewhere"\\}', object: { winner: 'B', reason: 'B has the zip' } },
    ]);
    const verdict = await scorePairwise(pairwise, { input, output: good, reference: bad }, ask);
    expect(verdict.score).toBe(1);
    expect(verdict.reason).toBe(
      'shown first, the output beat the reference (A has the zip); shown second, it beat the reference (B has the zip)',
    );
    const reversed = await scorePairwise(pairwise, { input, output: bad, reference: good }, ask);
    expect(reversed.score).toBe(0);
  });

  it('cancels a judge that always prefers the first answer', async () => {
    const ask = judgeScripted([{ match: 'Answer A', object: { winner: 'A', reason: 'first is best' } }]);
    const verdict = await scorePairwise(pairwise, { input, output: good, reference: bad }, ask);
    expect(verdict.score).toBe(0.5);
    expect(verdict.reason).toContain('shown second, it lost to the reference');
  });

  it('scores a tie 0.5 and meters both calls', async () => {
    const ask = judgeScripted([{ match: 'Answer A', object: { winner: 'tie', reason: 'same' } }]);
    const verdict = await scorePairwise(pairwise, { input, output: good, reference: good }, ask);
    expect(verdict.score).toBe(0.5);
    const one = await judgeScripted([{ match: 'Answer A', object: { winner: 'tie', reason: 'same' } }])(
      { system: 's', prompt: 'Answer A' },
      (await import('../../../activities/evaluation/scorers/pairwise-scorer.ts')).PairwiseAnswer,
    );
    expect(verdict.usage.credits).toBeGreaterThan(one.usage.credits);
  });
});
