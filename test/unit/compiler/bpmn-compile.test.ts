import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBpmnSource } from '../../../compiler/index.ts';
import { compile, fixture, fixturePath, flows, model } from './helpers.ts';

describe('compileRoutine for BPMN', () => {
  it('compiles a Camunda 8 model with service, script and plain tasks and an exclusive gateway', async () => {
    const compiled = await compile(fixture('order-fulfilment.bpmn'));
    expect(compiled.defaultProcessId).toBe('order_fulfilment');
    const graph = compiled.processes.order_fulfilment;
    expect(graph).toMatchObject({
      id: 'order_fulfilment',
      name: 'Order fulfilment',
      startId: 'start',
      eventSubProcesses: [],
      forks: {},
    });
    expect(Object.keys(graph?.elements ?? {})).toEqual([
      'start',
      'charge',
      'in_stock',
      'gross',
      'backorder',
      'shipped',
      'waiting',
    ]);
    expect(graph?.elements.charge).toEqual({
      id: 'charge',
      name: 'Charge card',
      scope: 'order_fulfilment',
      kind: 'workTask',
      bpmnType: 'serviceTask',
      incoming: ['f_start_charge'],
      outgoing: ['f_charge_stock'],
      inputs: [
        { target: 'amount', source: 'order.total' },
        { target: 'currency', source: '"EUR"' },
      ],
      outputs: [{ target: 'receiptId', source: 'receipt.id' }],
      boundaryEvents: [],
      work: {
        kind: 'service',
        taskType: 'payment.charge',
        retries: 5,
        headers: { provider: 'acme', mode: 'live' },
      },
    });
    expect(graph?.elements.gross).toMatchObject({
      kind: 'workTask',
      bpmnType: 'scriptTask',
      work: { kind: 'script', expression: 'order.total * 1.2', resultVariable: 'grossTotal' },
    });
    expect(graph?.elements.in_stock).toMatchObject({
      kind: 'exclusiveGateway',
      defaultFlow: 'f_backorder',
      outgoing: ['f_ship', 'f_backorder'],
    });
    expect(graph?.elements.backorder).toMatchObject({
      kind: 'task',
      bpmnType: 'task',
      inputs: [],
      outputs: [],
    });
    expect(graph?.flows.f_ship).toEqual({
      id: 'f_ship',
      source: 'in_stock',
      target: 'gross',
      condition: 'stock.available >= order.quantity',
    });
    expect(graph?.flows.f_backorder).toEqual({ id: 'f_backorder', source: 'in_stock', target: 'backorder' });
  });

  it('records a block-structured parallel fork', async () => {
    const graph = (await compile(fixture('parallel-diamond.bpmn'))).processes.diamond;
    expect(graph?.forks).toEqual({ fork: { joinId: 'join', branches: ['f_price', 'f_stock'] } });
    expect(graph?.elements.join).toMatchObject({
      incoming: ['f_price_join', 'f_stock_join'],
      outgoing: ['f_end'],
    });
  });

  it('records nested forks, an empty branch and a loop inside a branch', async () => {
    const graph = (await compile(fixture('nested-forks.bpmn'))).processes.nested;
    expect(graph?.forks).toEqual({
      outer_fork: { joinId: 'outer_join', branches: ['b_inner', 'b_review', 'b_empty'] },
      inner_fork: { joinId: 'inner_join', branches: ['i_x', 'i_y'] },
    });
  });

  it('compiles the executable processes of a collaboration, the first one as default', async () => {
    const compiled = await compile(fixture('collaboration.bpmn'));
    expect(Object.keys(compiled.processes)).toEqual(['shop', 'billing']);
    expect(compiled.defaultProcessId).toBe('shop');
    expect(compiled.processes.billing?.name).toBe('Billing');
  });

  it('compiles every process when none is marked executable', async () => {
    const compiled = await compile(
      model(
        `<bpmn:startEvent id="s" /><bpmn:endEvent id="e" />${flows('s->e')}`,
        'id="draft" isExecutable="false"',
      ),
    );
    expect(compiled.defaultProcessId).toBe('draft');
  });

  it('decodes an ISO-8859-1 file and keeps its names', async () => {
    const xml = decodeBpmnSource(readFileSync(fixturePath('latin1.bpmn')));
    const graph = (await compile(xml)).processes.bestellung;
    expect(graph?.name).toBe('Café-Bestellung über 5 £');
    expect(graph?.elements.kochen?.name).toBe('Kaffee brühen');
  });

  it('accepts text that still declares ISO-8859-1 or starts with a byte order mark', async () => {
    const body = `<bpmn:startEvent id="s" name="Größe" /><bpmn:endEvent id="e" />${flows('s->e')}`;
    const latin = model(body).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    expect((await compile(latin)).processes.p?.elements.s?.name).toBe('Größe');
    expect((await compile(`\uFEFF${model(body)}`)).processes.p?.startId).toBe('s');
  });

  it('derives incoming and outgoing flows in model order from the flows themselves', async () => {
    const graph = (
      await compile(
        model(
          `<bpmn:startEvent id="s"><bpmn:outgoing>t-e</bpmn:outgoing></bpmn:startEvent>
          <bpmn:task id="t" /><bpmn:task id="u" /><bpmn:endEvent id="e" />` +
            flows('s->t', 't->u', 't->e', 'u->e'),
        ),
      )
    ).processes.p;
    expect(graph?.elements.s?.outgoing).toEqual(['s-t']);
    expect(graph?.elements.t?.outgoing).toEqual(['t-u', 't-e']);
    expect(graph?.elements.e?.incoming).toEqual(['t-e', 'u-e']);
  });

  it('stores static mapping values and static scripts as FEEL string literals', async () => {
    const graph = (
      await compile(
        model(
          `<bpmn:startEvent id="s" />
          <bpmn:scriptTask id="greet">
            <bpmn:extensionElements>
              <zeebe:script expression="say &quot;hi&quot;" resultVariable="greeting" />
              <zeebe:ioMapping><zeebe:input source="a\\b" target="path" /></zeebe:ioMapping>
            </bpmn:extensionElements>
          </bpmn:scriptTask>
          <bpmn:endEvent id="e" />${flows('s->greet', 'greet->e')}`,
        ),
      )
    ).processes.p;
    expect(graph?.elements.greet).toMatchObject({
      work: { kind: 'script', expression: '"say \\"hi\\""', resultVariable: 'greeting' },
      inputs: [{ target: 'path', source: '"a\\\\b"' }],
    });
  });

  it('runs a script task with a zeebe:taskDefinition as a job, as Zeebe does', async () => {
    const graph = (
      await compile(
        model(
          `<bpmn:startEvent id="s" />
          <bpmn:scriptTask id="js">
            <bpmn:extensionElements><zeebe:taskDefinition type="script.js" retries="0" /></bpmn:extensionElements>
          </bpmn:scriptTask>
          <bpmn:endEvent id="e" />${flows('s->js', 'js->e')}`,
        ),
      )
    ).processes.p;
    expect(graph?.elements.js).toMatchObject({
      bpmnType: 'scriptTask',
      work: { kind: 'service', taskType: 'script.js', retries: 0, headers: {} },
    });
  });

  it('allows an implicit split from a task and an implicit merge into a task', async () => {
    const graph = (
      await compile(
        model(
          `<bpmn:startEvent id="s" /><bpmn:task id="t" /><bpmn:task id="a" /><bpmn:task id="b" />
          <bpmn:task id="m" /><bpmn:endEvent id="e" />` +
            flows('s->t', 't->a', 't->b', 'a->m', 'b->m', 'm->e'),
        ),
      )
    ).processes.p;
    expect(graph?.elements.m?.incoming).toEqual(['a-m', 'b-m']);
    expect(graph?.forks).toEqual({});
  });
});
