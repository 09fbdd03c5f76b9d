import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { builtinTaskTypes } from '../../../activities/task-types/builtins.ts';
import { type TaskContext, TaskTypeRegistry } from '../../../activities/task-types/registry.ts';

const context: TaskContext = {
  variables: {},
  headers: {},
  signal: new AbortController().signal,
  heartbeat: () => undefined,
};

describe('task type prefixes', () => {
  it('resolve every type with the prefix through the factory, given the rest of the name', async () => {
    const registry = new TaskTypeRegistry(builtinTaskTypes);
    registry.registerPrefix('mcp:', (name) => async () => ({ name }));
    expect(await registry.resolve('mcp:everything/get-sum')(context)).toEqual({ name: 'everything/get-sum' });
    expect(registry.types()).toEqual(['echo', 'fail', 'http', 'mcp:*', 'set', 'sleep']);
  });

  it('leave exact types first and unknown types unknown', () => {
    const registry = new TaskTypeRegistry({ 'mcp:special': async () => ({ exact: true }) });
    registry.registerPrefix('mcp:', () => async () => ({ exact: false }));
    expect(registry.resolve('mcp:special')).toBe(registry.resolve('mcp:special'));
    expect(() => registry.resolve('http:get')).toThrow(ApplicationFailure);
    expect(() => registry.registerPrefix('mcp:', () => async () => ({}))).toThrow(
      'task type prefix "mcp:" is registered twice',
    );
  });
});
