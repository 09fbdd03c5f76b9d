import { describe, expect, it } from 'vitest';
import { IdempotentCalls } from '../../../activities/mcp/idempotent-calls.ts';

describe('idempotent calls', () => {
  it('run a key once and give every repeat its result', async () => {
    const calls = new IdempotentCalls<number>(10);
    let runs = 0;
    const call = async () => ++runs;
    expect(await calls.run('k', call)).toBe(1);
    expect(await calls.run('k', call)).toBe(1);
    expect(await calls.run('other', call)).toBe(2);
  });

  it('share a call still running with a concurrent repeat', async () => {
    const calls = new IdempotentCalls<string>(10);
    let runs = 0;
    let finish: (value: string) => void = () => undefined;
    const call = () => {
      runs += 1;
      return new Promise<string>((resolve) => (finish = resolve));
    };
    const first = calls.run('k', call);
    const second = calls.run('k', call);
    finish('done');
    expect(await Promise.all([first, second])).toEqual(['done', 'done']);
    expect(runs).toBe(1);
  });

  it('forget a failed call so that a retry runs it', async () => {
    const calls = new IdempotentCalls<string>(10);
    await expect(calls.run('k', () => Promise.reject(new Error('lost')))).rejects.toThrow('lost');
    expect(await calls.run('k', async () => 'second try')).toBe('second try');
  });

  it('forget the oldest keys beyond their capacity', async () => {
    const calls = new IdempotentCalls<string>(2);
    await calls.run('a', async () => 'a1');
    await calls.run('b', async () => 'b1');
    await calls.run('c', async () => 'c1');
    expect(calls.size).toBe(2);
    expect(await calls.run('a', async () => 'a2')).toBe('a2');
    expect(await calls.run('c', async () => 'c2')).toBe('c1');
  });
});
