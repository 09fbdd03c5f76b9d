import { describe, expect, it } from 'vitest';
import { compile, fixtureGraph, flows, model, rejectedLines } from './helpers.ts';

const links = (incoming: string, outgoing: string) => ({
  scope: 'claim',
  incoming: [incoming],
  outgoing: [outgoing],
  boundaryEvents: [],
});

/** A process s -> t -> e around the task "t". */
const around = (task: string) =>
  model(`<bpmn:startEvent id="s" />${task}<bpmn:endEvent id="e" />${flows('s->t', 't->e')}`);

describe('BPMN tasks', () => {
  it('compiles manual, send, business rule, user and receive tasks', async () => {
    const { elements } = await fixtureGraph('tasks.bpmn', 'claim');
    expect(elements.file).toEqual({
      id: 'file',
      name: 'File the paper form',
      ...links('f1', 'f2'),
      inputs: [],
      outputs: [],
      kind: 'task',
      bpmnType: 'manualTask',
    });
    expect(elements.acknowledge).toEqual({
      id: 'acknowledge',
      name: 'Acknowledge',
      ...links('f2', 'f3'),
      inputs: [{ target: 'to', source: 'claim.email' }],
      outputs: [],
      kind: 'workTask',
      bpmnType: 'sendTask',
      work: { kind: 'service', taskType: 'mail.send', headers: {}, retries: 2 },
    });
    expect(elements.score).toEqual({
      id: 'score',
      name: 'Score risk',
      ...links('f3', 'f4'),
      inputs: [],
      outputs: [],
      kind: 'workTask',
      bpmnType: 'businessRuleTask',
      work: { kind: 'service', taskType: 'risk.score', headers: { model: 'v2' } },
    });
    expect(elements.wait_payment).toEqual({
      id: 'wait_payment',
      name: 'Wait for payment',
      ...links('f7', 'f8'),
      inputs: [],
      outputs: [{ target: 'paidAmount', source: 'amount' }],
      kind: 'receiveTask',
      message: { kind: 'message', name: '"payment-received"', correlationKey: 'claim.id' },
    });
  });

  it('compiles user task assignment, schedule, form and priority: static values as FEEL literals', async () => {
    const { elements } = await fixtureGraph('tasks.bpmn', 'claim');
    expect(elements.review).toEqual({
      id: 'review',
      name: 'Review claim',
      ...links('f4', 'f5'),
      inputs: [],
      outputs: [{ target: 'reviewApproved', source: 'approved' }],
      kind: 'userTask',
      assignee: '"alice"',
      candidateGroups: '["clerks", "managers"]',
      dueDate: '"2025-06-30T17:00:00+02:00"',
      formKey: 'camunda-forms:bpmn:review',
      priority: '75',
    });
    expect(elements.approve).toEqual({
      id: 'approve',
      name: 'Approve payout',
      ...links('f5', 'f6'),
      inputs: [],
      outputs: [],
      kind: 'userTask',
      assignee: 'claim.owner',
      candidateUsers: 'approvers',
      dueDate: 'now() + duration("P2D")',
      followUpDate: '"2025-06-28T09:00:00Z"',
      formId: 'approve-form',
      priority: 'if urgent then 100 else 10',
    });
    expect(elements.sign).toEqual({
      id: 'sign',
      name: 'Sign',
      ...links('f6', 'f7'),
      inputs: [],
      outputs: [],
      kind: 'userTask',
    });
  });

  it('runs a DMN decision as the task type decision:<id>, and rejects job tasks without a job type', async () => {
    const compiled = await compile(
      around(`<bpmn:businessRuleTask id="t"><bpmn:extensionElements>
          <zeebe:calledDecision decisionId="risk" resultVariable="risk" />
        </bpmn:extensionElements></bpmn:businessRuleTask>`),
    );
    expect(Object.values(compiled.processes)[0]?.elements.t).toMatchObject({
      kind: 'workTask',
      bpmnType: 'businessRuleTask',
      work: { kind: 'service', taskType: 'decision:risk', headers: { resultVariable: 'risk' } },
    });
    expect(await rejectedLines(around('<bpmn:sendTask id="t" />'))).toEqual([
      'bpmn:SendTask "t": needs a zeebe:taskDefinition with a type',
    ]);
  });

  it('checks user task values, and rejects what it cannot honour', async () => {
    expect(
      await rejectedLines(
        around(`<bpmn:userTask id="t"><bpmn:extensionElements>
          <zeebe:assignmentDefinition assignee="=a +" />
          <zeebe:taskSchedule dueDate="next friday" followUpDate="2025-02-30T00:00:00Z" />
          <zeebe:formDefinition externalReference="https://forms.example.com/1" />
          <zeebe:priorityDefinition priority="101" />
          <zeebe:taskHeaders><zeebe:header key="k" value="v" /></zeebe:taskHeaders>
        </bpmn:extensionElements></bpmn:userTask>`),
      ),
    ).toEqual([
      'bpmn:UserTask "t": zeebe:taskHeaders is not supported yet',
      'bpmn:UserTask "t": a zeebe:formDefinition externalReference is not supported yet',
      'bpmn:UserTask "t": assignee: "a +" is not valid FEEL: it ends too early',
      'bpmn:UserTask "t": dueDate: "next friday" is not an ISO 8601 date-time with an offset, such as 2025-01-01T09:00:00Z or 2025-01-01T09:00:00+01:00',
      'bpmn:UserTask "t": followUpDate: "2025-02-30T00:00:00Z" is not a valid date-time: a field is out of range',
      'bpmn:UserTask "t": priority: "101" is not a whole number from 0 to 100',
    ]);
  });

  it('requires a receive task to wait for a correlated message, and not to start the process', async () => {
    expect(
      await rejectedLines(around('<bpmn:receiveTask id="t" instantiate="true" messageRef="Message_pong" />')),
    ).toEqual([
      'bpmn:ReceiveTask "t": a receive task that starts the process (instantiate) is not supported',
      'bpmn:ReceiveTask "t": message "Message_pong" needs a zeebe:subscription with a correlationKey',
    ]);
    expect(await rejectedLines(around('<bpmn:receiveTask id="t" />'))).toEqual([
      'bpmn:ReceiveTask "t": needs a messageRef to a message',
    ]);
    expect(
      await rejectedLines(
        around(`<bpmn:receiveTask id="t" messageRef="Message_ping"><bpmn:extensionElements>
          <zeebe:ioMapping><zeebe:input source="=1" target="one" /></zeebe:ioMapping>
        </bpmn:extensionElements></bpmn:receiveTask>`),
      ),
    ).toEqual(['bpmn:ReceiveTask "t": zeebe:input mappings are not allowed here, only zeebe:output']);
  });
});
