import { describe, expect, it } from 'vitest';
import { compileRoutine, formatProblem, RoutineCompileError } from '../../../compiler/index.ts';
import { fixture, flows, model, problemsOf } from './helpers.ts';

const rejected = (xml: string) => problemsOf(compileRoutine({ kind: 'bpmn', xml }));

/** A none start event "s" and a none end event "e"; each test adds its elements and flows. */
const LINE = '<bpmn:startEvent id="s" /><bpmn:endEvent id="e" />';

describe('compileRoutine rejects BPMN', () => {
  it('lists every unsupported element by id and type, collecting all problems', async () => {
    expect((await rejected(fixture('unsupported.bpmn'))).map(formatProblem)).toEqual([
      'bpmn:StartEvent "broadcast_start": signal start events are not supported',
      'bpmn:ComplexGateway "vote": complex gateways are not supported',
      'bpmn:AdHocSubProcess "investigate": ad-hoc sub-processes are not supported',
      'bpmn:Transaction "booking": transactions are not supported',
      'bpmn:Task "retry": standard loops (bpmn:standardLoopCharacteristics) are not supported; use multi-instance',
      'bpmn:ServiceTask "refund": compensation activities (isForCompensation) are not supported',
      'bpmn:BoundaryEvent "undo": compensation boundary events are not supported',
      'bpmn:IntermediateCatchEvent "when_ready": conditional intermediate catch events are not supported',
      'bpmn:EndEvent "cancelled": cancel end events are not supported',
      'bpmn:ServiceTask "refund": has no incoming sequence flow',
      'bpmn:ServiceTask "refund": has no outgoing sequence flow',
      'bpmn:IntermediateThrowEvent "jump": no link catch event in the same scope is named "nowhere"',
    ]);
  });

  it('prints each problem on its own line as type "id": why', async () => {
    const error = await compileRoutine({ kind: 'bpmn', xml: fixture('unsupported.bpmn') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RoutineCompileError);
    const { message } = error as RoutineCompileError;
    expect(message.split('\n')[0]).toBe('the routine does not compile (12 problems):');
    expect(message).toContain('\n  bpmn:ComplexGateway "vote": complex gateways are not supported');
    expect(formatProblem({ message: 'the model has no process' })).toBe('the model has no process');
  });

  it('names any other flow node type as not supported', async () => {
    const xml = model(`${LINE}<bpmn:implicitThrowEvent id="odd" />${flows('s->odd', 'odd->e')}`);
    expect((await rejected(xml)).map(formatProblem)).toEqual([
      'bpmn:ImplicitThrowEvent "odd": not supported',
    ]);
  });

  describe('XML that does not load', () => {
    it('says where the XML is not well-formed', async () => {
      const xml =
        '<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">\n  <bpmn:process id="p"></bpmn:task>\n</bpmn:definitions>';
      expect(await rejected(xml)).toEqual([
        { message: 'the XML is not well-formed: closing tag mismatch at line 3, column 24' },
      ]);
    });

    it('rejects truncated XML, text and other XML documents', async () => {
      const whole = model(LINE);
      const [truncated] = await rejected(whole.slice(0, whole.indexOf('</bpmn:process>') + 7));
      expect(truncated?.message).toMatch(/^the XML is not well-formed: unclosed tag at line 6, column \d+$/);
      const [endsInSpace] = await rejected(whole.slice(0, whole.indexOf('</bpmn:process>')));
      expect(endsInSpace?.message).toMatch(/^the XML is not well-formed: unexpected end of file at /);
      const [text] = await rejected('just some text');
      expect(text?.message).toBe('the XML is not well-formed: missing start tag at line 1, column 1');
      const [other] = await rejected('<html><body /></html>');
      expect(other?.message).toMatch(/^not a BPMN 2.0 document/);
    });
  });

  describe('moddle warnings', () => {
    it('names a sequence flow whose reference points nowhere, without follow-on problems', async () => {
      const xml = model(`${LINE}<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="missing" />`);
      expect(await rejected(xml)).toEqual([
        {
          elementId: 'f',
          elementType: 'bpmn:SequenceFlow',
          message: 'targetRef points to "missing", which does not exist',
        },
      ]);
    });

    it('reports unknown elements, unknown attributes and duplicate ids', async () => {
      const xml = model(
        `${LINE}<bpmn:fancyTask id="x" /><bpmn:task id="t" zeebe:colour="red" /><bpmn:task id="t" />` +
          flows('s->t', 't->e'),
      );
      const messages = (await rejected(xml)).map(formatProblem);
      expect(messages).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^<bpmn:fancyTask> at line 5, column 51: unknown type <bpmn:FancyTask>$/),
          'bpmn:Task "t": unknown attribute <zeebe:colour>',
          expect.stringMatching(/^<bpmn:task> at line 5, column 115: duplicate ID <t>$/),
        ]),
      );
    });
  });

  describe('graph checks', () => {
    it('requires flows in and out of every element, none into a start or out of an end', async () => {
      const xml = model(
        `${LINE}<bpmn:task id="orphan" /><bpmn:task id="dead_end" /><bpmn:task id="t" />` +
          flows('s->t', 't->dead_end', 't->e', 'e->t', 'orphan->s'),
      );
      expect((await rejected(xml)).map(formatProblem)).toEqual([
        'bpmn:StartEvent "s": a start event cannot have incoming sequence flows',
        'bpmn:EndEvent "e": an end event cannot have outgoing sequence flows',
        'bpmn:Task "orphan": has no incoming sequence flow',
        'bpmn:Task "dead_end": has no outgoing sequence flow',
      ]);
    });

    it('requires a start event and at most one none start event in a process', async () => {
      const xml = model(`${LINE}<bpmn:startEvent id="s2" />${flows('s->e', 's2->e')}`);
      expect((await rejected(xml)).map(formatProblem)).toEqual([
        'bpmn:Process "p": can have only one none start event, found 2: "s", "s2"',
      ]);
      const endless = model('<bpmn:task id="t" /><bpmn:endEvent id="e" />');
      expect((await rejected(endless)).map(formatProblem)).toEqual([
        'bpmn:Process "p": needs a start event',
        'bpmn:Task "t": has no incoming sequence flow',
        'bpmn:Task "t": has no outgoing sequence flow',
        'bpmn:EndEvent "e": has no incoming sequence flow',
      ]);
    });

    it('rejects flows without an end or between processes', async () => {
      const xml = model(
        `${LINE}${flows('s->e')}<bpmn:sequenceFlow id="loose" sourceRef="s" />
        </bpmn:process><bpmn:process id="q" isExecutable="true"><bpmn:task id="other" />
        <bpmn:sequenceFlow id="across" sourceRef="other" targetRef="e" />`,
      );
      expect((await rejected(xml)).map(formatProblem)).toEqual(
        expect.arrayContaining([
          'bpmn:SequenceFlow "loose": has no targetRef',
          'bpmn:SequenceFlow "across": targetRef "e" is not a flow node of the same process or sub-process',
        ]),
      );
    });

    it('checks exclusive gateway defaults and conditions', async () => {
      const xml = model(
        `${LINE}<bpmn:exclusiveGateway id="x" default="s-x" /><bpmn:exclusiveGateway id="y" default="y-e2" />
        <bpmn:endEvent id="e2" />${flows('s->x', 'x->y', 'x->e')}
        <bpmn:sequenceFlow id="y-e2" sourceRef="y" targetRef="e2"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="y-e" sourceRef="y" targetRef="e"><bpmn:conditionExpression>=false</bpmn:conditionExpression></bpmn:sequenceFlow>`,
      );
      expect((await rejected(xml)).map(formatProblem)).toEqual([
        'bpmn:ExclusiveGateway "x": its default flow "s-x" is not one of its outgoing flows',
        'bpmn:ExclusiveGateway "x": outgoing flow "x-y" needs a condition, or must be the default flow',
        'bpmn:ExclusiveGateway "x": outgoing flow "x-e" needs a condition, or must be the default flow',
        'bpmn:ExclusiveGateway "y": its default flow "y-e2" must not have a condition',
      ]);
    });

    it('rejects conditions on flows out of parallel gateways and tasks', async () => {
      const condition = '<bpmn:conditionExpression>=ok</bpmn:conditionExpression>';
      const xml = model(
        `${LINE}<bpmn:parallelGateway id="fork" /><bpmn:task id="t" />${flows('s->fork', 'fork->e', 't->e')}
        <bpmn:sequenceFlow id="fork-t" sourceRef="fork" targetRef="t">${condition}</bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="t-t" sourceRef="t" targetRef="t">${condition}</bpmn:sequenceFlow>`,
      );
      expect((await rejected(xml)).map(formatProblem)).toEqual([
        'bpmn:SequenceFlow "fork-t": a condition on a flow out of bpmn:ParallelGateway "fork" would be ignored; remove it',
        'bpmn:SequenceFlow "t-t": conditional flows out of bpmn:Task "t" are not supported yet',
      ]);
    });

    it('rejects a default flow on an activity', async () => {
      const xml = model(`${LINE}<bpmn:task id="t" default="t-e" />${flows('s->t', 't->e')}`);
      expect((await rejected(xml)).map(formatProblem)).toEqual([
        'bpmn:Task "t": a default flow out of an activity ("t-e") is not supported yet',
      ]);
    });

    it('rejects a model without a process', async () => {
      const xml = model('').replace(/<bpmn:process[\s\S]*<\/bpmn:process>/, '');
      expect((await rejected(xml)).map(formatProblem)).toEqual([
        'bpmn:Definitions "d": the model has no process',
      ]);
    });
  });

  describe('expressions', () => {
    it('requires conditions to be FEEL expressions that parse', async () => {
      const xml = model(
        `${LINE}<bpmn:exclusiveGateway id="x" /><bpmn:endEvent id="e2" /><bpmn:endEvent id="e3" />${flows('s->x')}
        <bpmn:sequenceFlow id="juel" sourceRef="x" targetRef="e"><bpmn:conditionExpression>\${ok}</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="broken" sourceRef="x" targetRef="e2"><bpmn:conditionExpression>= amount &gt;</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="xpath" sourceRef="x" targetRef="e3"><bpmn:conditionExpression xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="bpmn:tFormalExpression" language="http://www.w3.org/1999/XPath">=ok</bpmn:conditionExpression></bpmn:sequenceFlow>`,
      );
      expect((await rejected(xml)).map(formatProblem)).toEqual([
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Camunda 7 (JUEL) condition, not a template
        'bpmn:SequenceFlow "juel": condition "${ok}" must be a FEEL expression starting with "="',
        'bpmn:SequenceFlow "broken": condition: "amount >" is not valid FEEL: it ends too early',
        'bpmn:SequenceFlow "xpath": condition language "http://www.w3.org/1999/XPath" is not supported; write FEEL',
      ]);
    });

    it('checks mapping sources and script expressions', async () => {
      const xml = model(
        `${LINE}<bpmn:scriptTask id="calc"><bpmn:extensionElements>
          <zeebe:script expression="=a +* b" resultVariable="c" />
          <zeebe:ioMapping>
            <zeebe:input source="=)" target="x" />
            <zeebe:input target="y" />
            <zeebe:output source="=c" />
          </zeebe:ioMapping>
        </bpmn:extensionElements></bpmn:scriptTask>${flows('s->calc', 'calc->e')}`,
      );
      const messages = (await rejected(xml)).map(formatProblem);
      expect(messages).toEqual([
        'bpmn:ScriptTask "calc": zeebe:input "x": ")" is not valid FEEL: unexpected ")" at character 1',
        'bpmn:ScriptTask "calc": zeebe:input "y" has no source (write source="=null" for an empty variable)',
        'bpmn:ScriptTask "calc": a zeebe:output has no target',
        expect.stringMatching(
          /^bpmn:ScriptTask "calc": zeebe:script expression: "a \+\* b" is not valid FEEL: /,
        ),
      ]);
    });
  });

  describe('tasks', () => {
    const task = (element: string) => model(`${LINE}${element}${flows('s->t', 't->e')}`);

    it('requires a service task type that is not an expression, and whole retries', async () => {
      const problems = await Promise.all([
        rejected(task('<bpmn:serviceTask id="t" />')),
        rejected(
          task(
            '<bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="=kind" /></bpmn:extensionElements></bpmn:serviceTask>',
          ),
        ),
        rejected(
          task(
            '<bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="x" retries="many" /></bpmn:extensionElements></bpmn:serviceTask>',
          ),
        ),
        rejected(
          task(
            '<bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="x" retries="=n" /></bpmn:extensionElements></bpmn:serviceTask>',
          ),
        ),
      ]);
      expect(problems.flat().map((problem) => problem.message)).toEqual([
        'needs a zeebe:taskDefinition with a type',
        'task type "=kind" is an expression, which is not supported yet',
        'retries "many" is not a whole number',
        'retries "=n" is an expression, which is not supported yet',
      ]);
    });

    it('rejects duplicate or keyless task headers and repeated extension elements', async () => {
      const xml = task(`<bpmn:serviceTask id="t"><bpmn:extensionElements>
        <zeebe:taskDefinition type="x" /><zeebe:ioMapping /><zeebe:ioMapping />
        <zeebe:taskHeaders><zeebe:header key="a" value="1" /><zeebe:header key="a" value="2" /><zeebe:header value="3" /></zeebe:taskHeaders>
      </bpmn:extensionElements></bpmn:serviceTask>`);
      expect((await rejected(xml)).map((problem) => problem.message)).toEqual([
        'has 2 zeebe:ioMapping elements; only one is allowed',
        'task header "a" is defined twice',
        'has a zeebe:header without a key',
      ]);
    });

    it('requires a complete zeebe:script, or a job definition instead of it', async () => {
      const problems = await Promise.all([
        rejected(
          task(
            '<bpmn:scriptTask id="t" scriptFormat="groovy"><bpmn:script>x + 1</bpmn:script></bpmn:scriptTask>',
          ),
        ),
        rejected(
          task(
            '<bpmn:scriptTask id="t"><bpmn:extensionElements><zeebe:script expression="=1" /></bpmn:extensionElements></bpmn:scriptTask>',
          ),
        ),
        rejected(
          task(`<bpmn:scriptTask id="t"><bpmn:extensionElements>
            <zeebe:script expression="=1" resultVariable="one" /><zeebe:taskDefinition type="x" />
          </bpmn:extensionElements></bpmn:scriptTask>`),
        ),
      ]);
      expect(problems.flat().map((problem) => problem.message)).toEqual([
        'needs a zeebe:script with an expression and a resultVariable',
        'zeebe:script has no resultVariable',
        'has both zeebe:script and zeebe:taskDefinition; keep one',
      ]);
    });

    it('rejects zeebe extensions it cannot honour, on elements and on the process', async () => {
      const listeners =
        '<bpmn:extensionElements><zeebe:executionListeners><zeebe:executionListener eventType="start" type="audit" /></zeebe:executionListeners></bpmn:extensionElements>';
      const xml = model(
        `${LINE}<bpmn:task id="t">${listeners}</bpmn:task>
        <bpmn:exclusiveGateway id="x"><bpmn:extensionElements><zeebe:ioMapping /></bpmn:extensionElements></bpmn:exclusiveGateway>
        ${flows('s->x', 'x->t', 't->e')}`,
        'id="p" isExecutable="true">' +
          listeners.replace('audit', 'log') +
          '<bpmn:documentation>x</bpmn:documentation',
      );
      expect((await rejected(xml)).map(formatProblem)).toEqual([
        'bpmn:Process "p": zeebe:executionListeners is not supported yet',
        'bpmn:Task "t": zeebe:executionListeners is not supported yet',
        'bpmn:ExclusiveGateway "x": zeebe:ioMapping is not supported yet',
      ]);
    });
  });
});
