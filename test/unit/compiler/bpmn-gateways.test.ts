import { describe, expect, it } from 'vitest';
import { compile, fixtureGraph, flows, model, rejectedLines } from './helpers.ts';

const gateway = (id: string, incoming: string[], outgoing: string[], rest: object) => ({
  id,
  scope: 'notify',
  incoming,
  outgoing,
  inputs: [],
  outputs: [],
  ...rest,
});

describe('BPMN gateways', () => {
  it('compiles an inclusive fork with a default flow and an inclusive join', async () => {
    const graph = await fixtureGraph('gateways.bpmn', 'notify');
    expect(graph.elements.channels).toEqual(
      gateway('channels', ['f1'], ['to_email', 'to_sms', 'to_letter'], {
        kind: 'inclusiveGateway',
        defaultFlow: 'to_letter',
      }),
    );
    expect(graph.elements.sent).toEqual(
      gateway('sent', ['f2', 'f3', 'f4'], ['f5'], { kind: 'inclusiveGateway' }),
    );
    expect(graph.flows.to_sms).toEqual({
      id: 'to_sms',
      source: 'channels',
      target: 'sms',
      condition: 'contact.phone != null',
    });
    expect(graph.forks).toEqual({});
  });

  it('compiles an event-based gateway leading to message, timer and signal catch events and a receive task', async () => {
    const { elements } = await fixtureGraph('gateways.bpmn', 'notify');
    expect(elements.answer).toEqual(
      gateway('answer', ['f5'], ['f6', 'f7', 'f8', 'f9'], { kind: 'eventBasedGateway' }),
    );
    expect(elements.call_back).toMatchObject({
      kind: 'receiveTask',
      message: { kind: 'message', name: '"call-back"', correlationKey: 'contact.phone' },
    });
  });

  const forkWith = (value?: string) =>
    model(`<bpmn:startEvent id="s" />
      <bpmn:parallelGateway id="fork">${value === undefined ? '' : forkBranches(value)}</bpmn:parallelGateway>
      <bpmn:task id="a" /><bpmn:task id="b" /><bpmn:parallelGateway id="join" /><bpmn:endEvent id="e" />
      ${flows('s->fork', 'fork->a', 'fork->b', 'a->join', 'b->join', 'join->e')}`);
  const forkBranches = (value: string) => `<bpmn:extensionElements><zeebe:properties>
      <zeebe:property name="swarmflow.forkBranches" value="${value}" /></zeebe:properties></bpmn:extensionElements>`;

  it('keeps where a parallel fork runs its branches (zeebe:property swarmflow.forkBranches)', async () => {
    const graph = (await compile(forkWith('childWorkflows'))).processes.p;
    expect(graph?.elements.fork).toMatchObject({ kind: 'parallelGateway', forkBranches: 'childWorkflows' });
    expect(graph?.forks.fork).toEqual({ joinId: 'join', branches: ['fork-a', 'fork-b'] });
    expect((await compile(forkWith())).processes.p?.elements.fork).not.toHaveProperty('forkBranches');
  });

  describe('rejects', () => {
    it('a swarmflow.forkBranches value other than run or childWorkflows', async () => {
      expect(await rejectedLines(forkWith('children'))).toEqual([
        'bpmn:ParallelGateway "fork": zeebe:property swarmflow.forkBranches is "children"; use "run" or "childWorkflows"',
      ]);
    });

    it('swarmflow.forkBranches on a fork that is not block-structured', async () => {
      const xml = model(`<bpmn:startEvent id="s" />
        <bpmn:parallelGateway id="fork">${forkBranches('childWorkflows')}</bpmn:parallelGateway>
        <bpmn:endEvent id="a" /><bpmn:endEvent id="b" />
        ${flows('s->fork', 'fork->a', 'fork->b')}`);
      expect(await rejectedLines(xml)).toEqual([
        'bpmn:ParallelGateway "fork": zeebe:property swarmflow.forkBranches applies only to a block-structured fork (one parallel join closes all its branches); remove it, or join the branches at one gateway',
      ]);
    });

    it('inclusive gateway flows without conditions, and a conditional default flow', async () => {
      const xml = model(
        `<bpmn:startEvent id="s" /><bpmn:inclusiveGateway id="i" default="i-b" /><bpmn:endEvent id="a" /><bpmn:endEvent id="b" />
        <bpmn:endEvent id="c" />${flows('s->i', 'i->a', 'i->c')}
        <bpmn:sequenceFlow id="i-b" sourceRef="i" targetRef="b"><bpmn:conditionExpression>=x</bpmn:conditionExpression></bpmn:sequenceFlow>`,
      );
      expect(await rejectedLines(xml)).toEqual([
        'bpmn:InclusiveGateway "i": its default flow "i-b" must not have a condition',
        'bpmn:InclusiveGateway "i": outgoing flow "i-a" needs a condition, or must be the default flow',
        'bpmn:InclusiveGateway "i": outgoing flow "i-c" needs a condition, or must be the default flow',
      ]);
    });

    it('event-based gateways leading elsewhere, with one flow, conditions, or starting the process', async () => {
      const xml = model(
        `<bpmn:startEvent id="s" /><bpmn:eventBasedGateway id="g" /><bpmn:eventBasedGateway id="lonely" instantiate="true" />
        <bpmn:task id="t" /><bpmn:intermediateCatchEvent id="link"><bpmn:linkEventDefinition name="l" /></bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="e" />${flows('s->g', 'g->t', 'lonely->wait', 't->e', 'wait->e', 'link->e')}
        <bpmn:sequenceFlow id="g-wait" sourceRef="g" targetRef="wait"><bpmn:conditionExpression>=ok</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:intermediateThrowEvent id="jump"><bpmn:linkEventDefinition name="l" /></bpmn:intermediateThrowEvent>${flows('g->jump')}`,
      );
      expect(await rejectedLines(xml)).toEqual([
        'bpmn:EventBasedGateway "lonely": an event-based gateway that starts the process (instantiate) is not supported',
        'bpmn:EventBasedGateway "g": outgoing flow "g-t" must lead to a timer, message or signal intermediate catch event or a receive task, not bpmn:Task "t"',
        'bpmn:EventBasedGateway "g": outgoing flow "g-jump" must lead to a timer, message or signal intermediate catch event or a receive task, not bpmn:IntermediateThrowEvent "jump"',
        'bpmn:EventBasedGateway "lonely": has no incoming sequence flow',
        'bpmn:EventBasedGateway "lonely": an event-based gateway needs at least two outgoing sequence flows',
        'bpmn:SequenceFlow "g-wait": a condition on a flow out of bpmn:EventBasedGateway "g" would be ignored; remove it',
      ]);
    });
  });
});
