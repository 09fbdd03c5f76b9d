import { describe, expect, it } from 'vitest';
import { selectStrategy } from '../../../schema/strategy.ts';

describe('strategy selection', () => {
  it('takes the step declaration first, then the routine default', () => {
    expect(selectStrategy({ strategy: 'reasoning', prompt: 'p' }, 'conversational')).toEqual({
      strategy: 'reasoning',
      reason: 'the step declares reasoning',
    });
    expect(selectStrategy({ prompt: 'p' }, 'conversational')).toEqual({
      strategy: 'conversational',
      reason: "the routine's default strategy is conversational",
    });
    expect(
      selectStrategy({ strategy: 'auto', prompt: 'p', tools: ['memory/*'] }, 'conversational').strategy,
    ).toBe('conversational');
  });

  it('falls back to the rule: no prompt, deterministic; tools, reasoning; else conversational', () => {
    expect(selectStrategy({ hasWork: true })).toEqual({
      strategy: 'deterministic',
      reason: 'auto: the step has no prompt',
    });
    expect(selectStrategy({ prompt: 'p', tools: ['everything/get-sum'] }, 'auto')).toEqual({
      strategy: 'reasoning',
      reason: 'auto: the step has a prompt and allows tools',
    });
    expect(selectStrategy({ prompt: 'p' })).toEqual({
      strategy: 'conversational',
      reason: 'auto: the step has a prompt and allows no tools',
    });
  });

  it('never sends a sensitive step to an LLM', () => {
    expect(selectStrategy({ strategy: 'reasoning', prompt: 'p', hasWork: true, sensitive: true })).toEqual({
      strategy: 'deterministic',
      reason: 'policy: the step is sensitive, so not reasoning but its own work',
    });
    expect(selectStrategy({ prompt: 'p', sensitive: true })).toEqual({
      strategy: 'blocked',
      reason: 'policy: the step is sensitive and may not be sent to an LLM (conversational)',
    });
    expect(selectStrategy({ hasWork: true, sensitive: true }).strategy).toBe('deterministic');
  });

  it('blocks a declaration the step cannot run', () => {
    expect(selectStrategy({ strategy: 'deterministic', prompt: 'p' })).toEqual({
      strategy: 'blocked',
      reason: 'the step declares deterministic, but deterministic needs a task type, tool or expression',
    });
    expect(selectStrategy({ hasWork: true }, 'reasoning')).toEqual({
      strategy: 'blocked',
      reason: "the routine's default strategy is reasoning, but reasoning needs a prompt",
    });
  });
});
