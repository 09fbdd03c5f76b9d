import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeThrough } from '../../../activities/evaluation/judge-model.ts';
import { scoreJudge } from '../../../activities/evaluation/scorers/judge-scorer.ts';
import { scorePairwise } from '../../../activities/evaluation/scorers/pairwise-scorer.ts';
import type { OptimizerContext } from '../../../activities/improvement/optimizer.ts';
import { deterministic } from '../../../activities/improvement/optimizers/deterministic.ts';
import { reflectivePrompt } from '../../../activities/improvement/optimizers/reflective-prompt.ts';
import { ModelRegistry } from '../../../activities/models/model-registry.ts';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';
import { DeploymentConfig } from '../../../schema/deployment-config.ts';
import { Scorer } from '../../../schema/evaluation.ts';
import { evidenceOf, reason } from '../../support/optimizer-context.ts';
import type { Brain, Provider, ProviderStandIn } from './support.ts';
import * as models from './support.ts';

/**
 * Contract: the judges and the optimizers against each provider's strict stand-in. Their questions
 * ask for structured answers (a grade, a preference, a new instruction, a FEEL expression); the
 * stand-ins refuse what the real APIs refuse (OpenAI's strict json_schema rules, Anthropic's tool
 * schema rules), so a schema the scripted model would have taken is caught here. No request is
 * refused, and every answer comes back parsed.
 */

/** Answers each question by what its system prompt asks for, natively structured. */
const brain: Brain = ({ system, userTexts, structured }) => {
  const asked = `${system} ${userTexts.join(' ')}`;
  if (!structured) return { text: 'not asked for a structured answer' };
  if (/FEEL expression/.test(system))
    return { json: { expression: 'upper case(word)', rationale: 'capitals' } };
  if (/improve the instruction/.test(system)) {
    return { json: { instruction: 'Write {{ word }} in capital letters only.', rationale: 'say capitals' } };
  }
  if (/comparing two answers/.test(system)) {
    // The output (a zip code more) is shown first once, second once: it wins both times.
    return {
      json: {
        winner: /Answer A:\n\{"reply":"Lyon 69001"\}/.test(asked) ? 'A' : 'B',
        reason: 'it names the zip code',
      },
    };
  }
  return { json: { grade: 4, reason: 'the zip code is missing' } };
};

let standIns: Map<Provider, ProviderStandIn>;

beforeAll(async () => {
  standIns = await models.startStandIns(() => brain);
});
afterAll(async () => {
  await models.stopStandIns(standIns);
});

function dependencies(provider: Provider): OptimizerContext {
  const deployment = DeploymentConfig.parse({
    models: models.standInModels(standIns, undefined, { structuredOutput: 'native' }),
    defaultModel: provider,
    prices: { models: { [provider]: { inputPer1k: 1, outputPer1k: 2 } } },
  });
  return {
    models: new ModelRegistry(deployment),
    breakers: new CircuitBreakers(),
    prices: deployment.prices,
    budgetCredits: 100,
  };
}

const shoutRoutine = {
  id: 'shout',
  body: {
    kind: 'sequence' as const,
    steps: [{ id: 'loud', prompt: 'Write {{ word }} in capitals.', resultVariable: 'loud' }],
  },
};
const shout = (word: string, loud: string, score: number) => ({
  input: { word },
  output: { word, loud },
  score,
  reasons: [reason(score === 1 ? 'matches' : `expected ${word.toUpperCase()}, got ${loud}`, score)],
});

describe.each(models.providers)('judges and optimizers against the %s stand-in', (provider) => {
  it('a judge grades, and a pairwise judge prefers, through a structured answer the API accepts', async () => {
    const ask = judgeThrough(dependencies(provider), new AbortController().signal);
    const judge = Scorer.parse({ kind: 'judge', rubric: 'The reply names the city and the zip code.' });
    const graded = await scoreJudge(
      judge as Extract<Scorer, { kind: 'judge' }>,
      { input: { question: 'Where?' }, output: { reply: 'Lyon' } },
      ask,
    );
    expect(graded).toMatchObject({ score: 0.75, reason: 'graded 4 on 1-5: the zip code is missing' });
    expect(graded.usage.credits).toBeGreaterThan(0);

    const pairwise = Scorer.parse({ kind: 'pairwise' }) as Extract<Scorer, { kind: 'pairwise' }>;
    const preferred = await scorePairwise(
      pairwise,
      { input: { question: 'Where?' }, output: { reply: 'Lyon 69001' }, reference: { reply: 'Lyon' } },
      ask,
    );
    expect(preferred.score).toBe(1);
    expect(preferred.reason).toMatch(
      /^shown first, the output beat the reference \(it names the zip code\); shown second, it beat/,
    );
    expect(standIns.get(provider)?.realRejections()).toEqual([]);
  });

  it('reflective prompt mutation and the deterministic rewrite get their answers in one call each', async () => {
    const cases = [shout('hi', 'Hi', 0), shout('ok', 'ok', 0), shout('yes', 'YES', 1)];
    const evidence = evidenceOf(shoutRoutine, cases);
    const before = standIns.get(provider)?.bodies().length ?? 0;
    // Each optimizer asks once: an answer the API had bent out of shape would come back for a retry.

    const mutated = await reflectivePrompt({ mutations: 1 }).propose(evidence, dependencies(provider));
    expect(mutated.candidates.map((c) => c.change)).toEqual([
      expect.stringMatching(/^step loud: instruction rewritten/),
    ]);
    const body = mutated.candidates[0]?.definition.body;
    expect(body?.kind === 'sequence' && body.steps[0]?.prompt).toBe(
      'Write {{ word }} in capital letters only.',
    );

    const rewritten = await deterministic().propose(
      evidenceOf(shoutRoutine, [shout('hi', 'HI', 1), shout('ok', 'OK', 1), shout('yes', 'YES', 1)]),
      dependencies(provider),
    );
    expect(rewritten.candidates.map((c) => c.change)).toEqual([
      'step loud: LLM replaced by the FEEL expression upper case(word), verified on 3 of 3 cases (capitals)',
    ]);
    const asked = (standIns.get(provider)?.bodies() ?? []).slice(before);
    expect(asked.length).toBe(2);
    expect(standIns.get(provider)?.realRejections()).toEqual([]);
  });
});
