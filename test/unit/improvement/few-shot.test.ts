import { describe, expect, it } from 'vitest';
import { fewShot } from '../../../activities/improvement/optimizers/few-shot.ts';
import { compileRoutine } from '../../../compiler/index.ts';
import { evidenceOf, reason, scriptedContext } from '../../support/optimizer-context.ts';

const routine = {
  id: 'reply',
  body: {
    kind: 'sequence' as const,
    steps: [
      { id: 'lookup', expression: 'upper case(name)', resultVariable: 'shout' },
      { id: 'greet', prompt: 'Greet {{ shout }} in {{ language }}.', resultVariable: 'greeting' },
    ],
  },
};

const run = (name: string, language: string, greeting: string, score: number, extra = {}) => ({
  input: { name, language, ...extra },
  output: { name, language, shout: name.toUpperCase(), greeting, ...extra },
  score,
  reasons: [reason(score === 1 ? 'matches' : 'wrong language', score)],
});

describe('the few-shot optimizer', () => {
  it('bootstraps demos from full-score cases with distinct step inputs, in a delimited block, with no model call', async () => {
    const evidence = evidenceOf(routine, [
      run('ada', 'French', 'Bonjour ADA', 1),
      run('ada', 'French', 'Bonjour ADA', 1, { requestId: 'r2' }), // the same step input: one demo
      run('bob', 'German', 'Hello BOB', 0.2),
      run('eve', 'Spanish', 'Hola EVE', 1),
    ]);
    const result = await fewShot().propose(evidence, scriptedContext([{ text: 'never asked' }]));
    expect(result.usage.credits).toBe(0);
    expect(result.candidates).toHaveLength(1);
    const [candidate] = result.candidates;
    expect(candidate?.change).toBe('step greet: 2 examples from full-score cases added to the instruction');
    const body = candidate?.definition.body;
    if (body?.kind !== 'sequence') throw new Error('expected a sequence');
    const prompt = body.steps[1]?.prompt ?? '';
    expect(prompt.startsWith('Greet {{ shout }} in {{ language }}.\n\n<examples>')).toBe(true);
    expect(prompt.trimEnd().endsWith('</examples>')).toBe(true);
    // The step's own input: the earlier step's result and the variables its prompt names.
    expect(prompt).toContain('"shout": "ADA"');
    expect(prompt).toContain('Answer: "Bonjour ADA"');
    expect(prompt).toContain('Answer: "Hola EVE"');
    expect(prompt).not.toContain('BOB');
    expect(prompt).not.toContain('requestId');
    expect(prompt.match(/<example \d>/g)).toEqual(['<example 1>', '<example 2>']);
    await compileRoutine(body);

    // Bootstrapping again replaces the block instead of adding another.
    const again = await fewShot({ demos: 1 }).propose(
      evidenceOf(candidate?.definition as never, evidence.cases),
      scriptedContext([{ text: 'never asked' }]),
    );
    const againBody = again.candidates[0]?.definition.body;
    const againPrompt = againBody?.kind === 'sequence' ? (againBody.steps[1]?.prompt ?? '') : '';
    expect(againPrompt.match(/<examples>/g)).toHaveLength(1);
    expect(againPrompt.match(/<example \d>/g)).toEqual(['<example 1>']);
  });

  it('proposes nothing without a full-score case', async () => {
    const result = await fewShot().propose(
      evidenceOf(routine, [run('bob', 'German', 'Hello BOB', 0.2)]),
      scriptedContext([{ text: 'never asked' }]),
    );
    expect(result.candidates).toEqual([]);
  });
});
