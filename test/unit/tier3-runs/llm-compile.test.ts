import { describe, expect, it } from 'vitest';
import { compileRoutine, formatProblem, withRoutineDefaults } from '../../../compiler/index.ts';
import type { LlmWork } from '../../../schema/graph.ts';
import type { SequenceStep } from '../../../schema/routine.ts';
import { serviceTask } from '../../support/bpmn.ts';
import { compile, flows, model, problemsOf, rejectedLines } from '../compiler/helpers.ts';

/** A process s -> ask -> e around the task `ask`. */
const around = (task: string) =>
  model(`<bpmn:startEvent id="s" />${task}<bpmn:endEvent id="e" />${flows('s->ask', 'ask->e')}`);

const llmTask = (headers: Record<string, string>) => around(serviceTask('ask', 'llm', headers));

const workOf = async (xml: string) => {
  const element = (await compile(xml)).processes.p?.elements.ask;
  return element?.kind === 'workTask' ? element.work : undefined;
};

const sequence = (steps: unknown[]) => compileRoutine({ kind: 'sequence', steps: steps as SequenceStep[] });

describe('LLM steps in BPMN', () => {
  it('compiles a service task of type "llm" from its task headers', async () => {
    const work = await workOf(
      llmTask({
        prompt: 'Add {{ a }} and {{ b }}',
        system: 'You add numbers.',
        model: 'adder',
        tools: 'everything/get-sum, memory/*',
        strategy: 'reasoning',
        outputSchema: '{"type":"object","required":["sum"]}',
        resultVariable: 'sum',
        maxTurns: '4',
        maxToolCalls: '2',
        sensitive: 'false',
        requireApprovalFor: 'memory/*',
        failOnRejection: 'true',
      }),
    );
    expect(work).toEqual({
      kind: 'llm',
      prompt: 'Add {{ a }} and {{ b }}',
      system: 'You add numbers.',
      model: 'adder',
      tools: ['everything/get-sum', 'memory/*'],
      strategy: 'reasoning',
      outputSchema: { type: 'object', required: ['sum'] },
      resultVariable: 'sum',
      maxTurns: 4,
      maxToolCalls: 2,
      maxOutputRetries: 2,
      sensitive: false,
      requireApprovalFor: ['memory/*'],
      failOnRejection: true,
    } satisfies LlmWork);
  });

  it('fills the defaults: auto strategy, "answer", 8 turns, no tools', async () => {
    expect(await workOf(llmTask({ prompt: 'Hello' }))).toEqual({
      kind: 'llm',
      prompt: 'Hello',
      strategy: 'auto',
      tools: [],
      resultVariable: 'answer',
      maxTurns: 8,
      maxOutputRetries: 2,
      sensitive: false,
      requireApprovalFor: [],
      failOnRejection: false,
    });
  });

  it('rejects bad headers at registration, naming the task and the header', async () => {
    const lines = await rejectedLines(
      llmTask({
        system: 'Be {{ 1 + }} brief',
        maxTurns: 'many',
        outputSchema: '{not json',
        strategy: 'creative',
        temperature: '0.2',
      }),
    );
    expect(lines).toEqual([
      'bpmn:ServiceTask "ask": task header "maxTurns" is "many", not a whole number',
      expect.stringMatching(/^bpmn:ServiceTask "ask": task header "outputSchema" is not valid JSON/),
      'bpmn:ServiceTask "ask": task header "temperature" is not an llm task header (prompt, system, model, strategy, resultVariable, tools, requireApprovalFor, outputSchema, maxTurns, maxToolCalls, maxOutputRetries, timeoutMs, sensitive, failOnRejection)',
    ]);
    expect(await rejectedLines(llmTask({ system: 'Be {{ 1 + }} brief', strategy: 'creative' }))).toEqual([
      expect.stringMatching(/^bpmn:ServiceTask "ask": task header "strategy": Invalid option/),
      'bpmn:ServiceTask "ask": task header "prompt": Invalid input: expected string, received undefined',
    ]);
    expect(await rejectedLines(llmTask({ prompt: 'Be {{ 1 + }} brief' }))).toEqual([
      'bpmn:ServiceTask "ask": task header "prompt" placeholder {{ 1 + }}: "1 +" is not valid FEEL: it ends too early',
    ]);
  });
});

describe('LLM steps in sequences', () => {
  it('compiles a step with a prompt to LLM work', async () => {
    const compiled = await sequence([
      {
        id: 'greet',
        prompt: 'Greet {{ name }}',
        model: 'greeter',
        outputSchema: { type: 'string' },
        resultVariable: 'greeting',
        retries: 1,
      },
    ]);
    expect(compiled.processes.main?.elements.greet).toMatchObject({
      kind: 'workTask',
      bpmnType: 'serviceTask',
      work: {
        kind: 'llm',
        prompt: 'Greet {{ name }}',
        model: 'greeter',
        strategy: 'auto',
        outputSchema: { type: 'string' },
        resultVariable: 'greeting',
        retries: 1,
        maxTurns: 8,
      },
    });
  });

  it('names the step and field of every problem', async () => {
    const problems = await problemsOf(
      sequence([
        { id: 'both', prompt: 'Hi', type: 'echo' },
        { id: 'typed', type: 'echo', tools: ['everything/*'], maxTurns: 3 },
        { id: 'zero', prompt: 'Hi', maxTurns: 0 },
        { id: 'bad', prompt: 'Hi {{ name. }}', headers: { a: 'b' } },
      ]),
    );
    expect(problems.map(formatProblem)).toEqual([
      'step "both": "type": give exactly one of "type", "expression" or "prompt"',
      'step "typed": "tools" only applies to a step with a "prompt"',
      'step "typed": "maxTurns" only applies to a step with a "prompt"',
      'step "zero": "maxTurns": Too small: expected number to be >0',
      'step "bad": "headers" only applies to a step with a "type"',
      expect.stringMatching(/^step "bad": "prompt" placeholder \{\{ name\. \}\}: "name\." is not valid FEEL/),
    ]);
  });
});

describe('routine defaults', () => {
  it("write the routine's strategy and tool policy into each LLM step", async () => {
    const compiled = await sequence([
      { id: 'ask', prompt: 'Hi' },
      { id: 'echo', type: 'echo' },
    ]);
    const toolPolicy = { rules: [{ tool: 'memory/*', decision: 'deny' as const }] };
    const withDefaults = withRoutineDefaults(compiled, { strategy: 'reasoning', toolPolicy });
    expect(withDefaults.processes.main?.elements.ask).toMatchObject({
      work: { kind: 'llm', routine: { strategy: 'reasoning', toolPolicy } },
    });
    expect(withDefaults.processes.main?.elements.echo).toEqual(compiled.processes.main?.elements.echo);
    expect(withRoutineDefaults(compiled, {})).toBe(compiled);
  });
});
