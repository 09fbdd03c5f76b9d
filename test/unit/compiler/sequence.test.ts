import { describe, expect, it } from 'vitest';
import { compileRoutine, formatProblem } from '../../../compiler/index.ts';
import { CompiledRoutine } from '../../../schema/graph.ts';
import type { SequenceStep } from '../../../schema/routine.ts';
import { problemsOf } from './helpers.ts';

const compile = (steps: unknown[]) => compileRoutine({ kind: 'sequence', steps: steps as SequenceStep[] });

describe('compileRoutine for a sequence', () => {
  it('compiles steps to a linear graph from start to end', async () => {
    const compiled = await compile([
      {
        id: 'fetch',
        name: 'Fetch order',
        type: 'http.get',
        headers: { url: 'https://example.com' },
        retries: 2,
        timeoutMs: 5000,
        outputSchema: { type: 'object' },
        inputs: { orderId: 'order.id' },
        outputs: { order: 'body' },
      },
      { id: 'total', expression: 'sum(for line in order.lines return line.price)', resultVariable: 'total' },
    ]);
    expect(CompiledRoutine.parse(compiled)).toEqual(compiled);
    expect(compiled.defaultProcessId).toBe('main');
    const graph = compiled.processes.main;
    expect(graph?.startId).toBe('@start');
    expect(graph?.eventSubProcesses).toEqual([]);
    expect(graph?.forks).toEqual({});
    expect(Object.keys(graph?.elements ?? {})).toEqual(['@start', 'fetch', 'total', '@end']);
    expect(Object.keys(graph?.flows ?? {})).toEqual(['@start->fetch', 'fetch->total', 'total->@end']);
    expect(graph?.elements['@start']).toEqual({
      id: '@start',
      kind: 'startEvent',
      interrupting: true,
      scope: 'main',
      incoming: [],
      outgoing: ['@start->fetch'],
      inputs: [],
      outputs: [],
    });
    expect(graph?.elements.fetch).toEqual({
      id: 'fetch',
      name: 'Fetch order',
      kind: 'workTask',
      bpmnType: 'serviceTask',
      scope: 'main',
      boundaryEvents: [],
      incoming: ['@start->fetch'],
      outgoing: ['fetch->total'],
      inputs: [{ target: 'orderId', source: 'order.id' }],
      outputs: [{ target: 'order', source: 'body' }],
      work: {
        kind: 'service',
        taskType: 'http.get',
        headers: { url: 'https://example.com' },
        retries: 2,
        timeoutMs: 5000,
        outputSchema: { type: 'object' },
      },
    });
    expect(graph?.elements.total).toMatchObject({
      bpmnType: 'scriptTask',
      work: {
        kind: 'script',
        expression: 'sum(for line in order.lines return line.price)',
        resultVariable: 'total',
      },
    });
    expect(graph?.elements['@end']).toMatchObject({
      kind: 'endEvent',
      incoming: ['total->@end'],
      outgoing: [],
    });
    expect(graph?.flows['fetch->total']).toEqual({ id: 'fetch->total', source: 'fetch', target: 'total' });
  });

  it('does not clash with steps named start and end', async () => {
    const compiled = await compile([
      { id: 'start', type: 'echo' },
      { id: 'end', type: 'echo' },
    ]);
    expect(Object.keys(compiled.processes.main?.elements ?? {})).toEqual(['@start', 'start', 'end', '@end']);
  });

  it('names the step of every problem', async () => {
    const problems = await problemsOf(
      compile([
        { id: 'a', type: 'echo' },
        { id: 'a', type: 'echo' },
        { id: 'calc', expression: '1 +', resultVariable: 'x', inputs: { y: 'f(' } },
        { id: 'both', type: 'echo', expression: '1' },
        { type: 'echo' },
        { id: 'late', expression: '1', resultVariable: 'one', retries: 2, headers: {} },
        { id: 'lost', type: 'echo', resultVariable: 'out' },
      ]),
    );
    expect(problems.map(formatProblem)).toEqual([
      'step "calc": expression: "1 +" is not valid FEEL: it ends too early',
      'step "calc": input "y": "f(" is not valid FEEL: it ends too early',
      'step "both": "type": give exactly one of "type", "expression" or "prompt"',
      'step "both": "resultVariable": an expression step needs "resultVariable"',
      expect.stringMatching(/^step "#5": "id": /),
      'step "late": "headers" only applies to a step with a "type"',
      'step "late": "retries" only applies to a step with a "type"',
      'step "lost": "resultVariable" only applies to an expression or prompt step; map a task result with "outputs"',
      'step "a": another step has the same id',
    ]);
  });

  it('rejects an empty sequence', async () => {
    expect(await problemsOf(compile([]))).toEqual([
      { message: 'a sequence routine needs at least one step' },
    ]);
  });
});
