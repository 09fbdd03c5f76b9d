import { describe, expect, it } from 'vitest';
import { modelSelection } from '../../../activities/improvement/model-selection.ts';
import { deterministic } from '../../../activities/improvement/optimizers/deterministic.ts';
import { fewShot } from '../../../activities/improvement/optimizers/few-shot.ts';
import { llmSteps } from '../../../activities/improvement/optimizers/llm-steps.ts';
import { strategyEvolution } from '../../../activities/improvement/optimizers/strategy-evolution.ts';
import { compileRoutine } from '../../../compiler/index.ts';
import type { RoutineDefinition } from '../../../schema/routine.ts';
import { evidenceOf, reason, scriptedContext } from '../../support/optimizer-context.ts';

const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs">
  <bpmn:process id="shout" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="loud" name="Make it loud">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="llm" />
        <zeebe:taskHeaders>
          <zeebe:header key="prompt" value="Write {{ word }} in capitals." />
          <zeebe:header key="resultVariable" value="loud" />
        </zeebe:taskHeaders>
        <zeebe:ioMapping><zeebe:input source="=text" target="word" /></zeebe:ioMapping>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="loud" />
    <bpmn:sequenceFlow id="f2" sourceRef="loud" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="shout">
      <bpmndi:BPMNShape id="loud_di" bpmnElement="loud"><dc:Bounds x="100" y="100" width="100" height="80" /></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

const routine = { id: 'shout', body: { kind: 'bpmn' as const, xml } };
const shout = (text: string, loud: string, score = 1) => ({
  input: { text },
  output: { text, loud },
  score,
  reasons: [reason(score === 1 ? 'matches' : 'no lookup was made: missing data', score)],
});
const cases = [shout('hi', 'HI'), shout('ok', 'OK'), shout('yes', 'YES')];

async function taskOf(definition: RoutineDefinition) {
  const compiled = await compileRoutine(definition.body);
  return compiled.processes.shout?.elements.loud;
}

describe('the optimizers on a BPMN routine', () => {
  it('read an LLM service task from its task headers and input mappings', async () => {
    expect(await llmSteps(routine as RoutineDefinition)).toEqual([
      expect.objectContaining({
        id: 'loud',
        prompt: 'Write {{ word }} in capitals.',
        resultVariable: 'loud',
      }),
    ]);
  });

  it('propose a cheaper model for the task through its model header, keeping its prompt and shape', async () => {
    const priced = scriptedContext([{ text: 'unused' }], {
      prices: {
        models: {
          thinker: { inputPer1k: 10, outputPer1k: 10 },
          cheap: { inputPer1k: 1, outputPer1k: 1 },
          dear: { inputPer1k: 50, outputPer1k: 50 },
        },
        toolCall: 0,
        perSecond: 0,
      },
    });
    const result = await modelSelection.propose(
      evidenceOf(routine, cases, { models: ['cheap', 'thinker', 'dear'] }),
      priced,
    );
    expect(result.candidates.map((c) => c.change)).toEqual(['model cheap for step loud (thinker)']);
    const definition = result.candidates[0]?.definition as RoutineDefinition;
    expect(await taskOf(definition)).toMatchObject({
      work: { kind: 'llm', model: 'cheap', prompt: 'Write {{ word }} in capitals.', resultVariable: 'loud' },
      incoming: ['f1'],
      outgoing: ['f2'],
    });
    const body = definition.body.kind === 'bpmn' ? definition.body.xml : '';
    expect(body).toContain('<bpmndi:BPMNShape id="loud_di" bpmnElement="loud">');
  });

  it('turn the task into a zeebe:script verified on every case, keeping its mappings, flows and shape', async () => {
    const context = scriptedContext([{ object: { expression: 'upper case(word)', rationale: 'capitals' } }]);
    const result = await deterministic().propose(evidenceOf(routine, cases), context);
    expect(result.candidates.map((c) => c.change)).toEqual([
      'step loud: LLM replaced by the FEEL expression upper case(word), verified on 3 of 3 cases (capitals)',
    ]);
    const definition = result.candidates[0]?.definition as RoutineDefinition;
    expect(await taskOf(definition)).toMatchObject({
      bpmnType: 'scriptTask',
      work: { kind: 'script', expression: 'upper case(word)', resultVariable: 'loud' },
      inputs: [{ target: 'word', source: 'text' }],
      incoming: ['f1'],
      outgoing: ['f2'],
    });
    const body = definition.body.kind === 'bpmn' ? definition.body.xml : '';
    expect(body).toContain('<bpmndi:BPMNShape id="loud_di" bpmnElement="loud">');
    expect(body).not.toContain('zeebe:taskDefinition');
  });

  it('write few-shot demos and a strategy change into the task headers', async () => {
    const demos = await fewShot().propose(evidenceOf(routine, cases), scriptedContext([{ text: 'x' }]));
    const withDemos = await taskOf(demos.candidates[0]?.definition as RoutineDefinition);
    expect(withDemos).toMatchObject({ work: { kind: 'llm' } });
    const prompt =
      withDemos?.kind === 'workTask' && withDemos.work.kind === 'llm' ? withDemos.work.prompt : '';
    expect(prompt).toContain('"word": "yes"');
    expect(prompt).toContain('Answer: "YES"');

    const failing = [shout('order 7', 'I cannot look up order 7', 0)];
    const tools = [{ server: 'orders', name: 'find_order', inputSchema: {}, risk: 'low' as const }];
    const evolved = await strategyEvolution().propose(
      evidenceOf(routine, failing),
      scriptedContext([{ text: 'x' }], { tools }),
    );
    expect(await taskOf(evolved.candidates[0]?.definition as RoutineDefinition)).toMatchObject({
      work: { kind: 'llm', strategy: 'reasoning', tools: ['orders/find_order'] },
    });
  });
});
