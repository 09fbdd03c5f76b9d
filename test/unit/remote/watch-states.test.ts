import { describe, expect, it } from 'vitest';
import type { ProgressView } from '../../../client/remote/progress-changes.ts';
import { watchStates } from '../../../client/remote/watch-states.ts';

/** States are plain strings here: "end" ends, "parked" parks, anything else runs. */
const view: ProgressView<string> = {
  key: (state) => state,
  ended: (state) => state === 'end',
  parked: (state) => state === 'parked',
};

/** A `read` answering `states` one after the other (the last one again once they run out), counting its calls. */
function reader(states: string[]) {
  const counter = { reads: 0 };
  const read = async () => {
    const state = states[Math.min(counter.reads, states.length - 1)] as string;
    counter.reads += 1;
    return state;
  };
  return { read, counter };
}

async function collect(states: AsyncIterable<string>): Promise<string[]> {
  const seen: string[] = [];
  for await (const state of states) seen.push(state);
  return seen;
}

describe('watchStates', () => {
  it('yields the first state and then each change, and ends after the state that shows the end', async () => {
    const { read, counter } = reader(['a', 'a', 'b', 'b', 'b', 'c', 'end', 'after']);
    expect(await collect(watchStates(read, view, { pollIntervalMs: 1 }))).toEqual(['a', 'b', 'c', 'end']);
    expect(counter.reads).toBe(7);
  });

  it('watches on past a parked state, and ends there with untilParked', async () => {
    const states = ['a', 'parked', 'b', 'end'];
    expect(await collect(watchStates(reader(states).read, view, { pollIntervalMs: 1 }))).toEqual(states);
    const untilParked = watchStates(reader(states).read, view, { pollIntervalMs: 1, untilParked: true });
    expect(await collect(untilParked)).toEqual(['a', 'parked']);
  });

  it('reads nothing more once the loop is left', async () => {
    const { read, counter } = reader(['a', 'b', 'c', 'd', 'end']);
    for await (const state of watchStates(read, view, { pollIntervalMs: 1 })) {
      if (state === 'b') break;
    }
    expect(counter.reads).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counter.reads).toBe(2);
  });

  it('ends without waiting out the interval when its signal aborts', async () => {
    const stop = new AbortController();
    const { read, counter } = reader(['a']);
    const started = Date.now();
    const seen: string[] = [];
    for await (const state of watchStates(read, view, { pollIntervalMs: 60_000, signal: stop.signal })) {
      seen.push(state);
      setTimeout(() => stop.abort(), 10);
    }
    expect(seen).toEqual(['a']);
    expect(counter.reads).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('throws what read throws, from the next() that read', async () => {
    const states = watchStates(
      async () => {
        throw new Error('no such run');
      },
      view,
      { pollIntervalMs: 1 },
    );
    await expect(states.next()).rejects.toThrow('no such run');
  });
});
