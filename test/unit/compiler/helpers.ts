import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import {
  type CompileProblem,
  compileRoutine,
  formatProblem,
  RoutineCompileError,
} from '../../../compiler/index.ts';
import { CompiledRoutine, type ProcessGraph } from '../../../schema/graph.ts';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/bpmn/${name}`, import.meta.url));
}

export function fixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** Compiles BPMN and checks that the result is what the schema reads back. */
export async function compile(xml: string): Promise<CompiledRoutine> {
  const compiled = await compileRoutine({ kind: 'bpmn', xml });
  expect(CompiledRoutine.parse(compiled)).toEqual(compiled);
  return compiled;
}

/** The compiled graph of one process of a fixture. */
export async function fixtureGraph(name: string, processId: string): Promise<ProcessGraph> {
  const graph = (await compile(fixture(name))).processes[processId];
  if (!graph) throw new Error(`${name} has no process ${processId}`);
  return graph;
}

/** The problems of BPMN that does not compile, as `type "id": why` lines. */
export async function rejectedLines(xml: string): Promise<string[]> {
  return (await problemsOf(compileRoutine({ kind: 'bpmn', xml }))).map(formatProblem);
}

/** Root elements the inline models of the tests refer to. */
const ROOT_ELEMENTS = `  <bpmn:message id="Message_ping" name="ping"><bpmn:extensionElements>
    <zeebe:subscription correlationKey="=key" /></bpmn:extensionElements></bpmn:message>
  <bpmn:message id="Message_pong" name="pong" />
  <bpmn:signal id="Signal_go" name="go" />
  <bpmn:error id="Error_e1" errorCode="E1" />
  <bpmn:escalation id="Escalation_x1" escalationCode="X1" />`;

/** A Camunda 8 model with one process around `body`, and the root elements below. */
export function model(body: string, process = 'id="p" isExecutable="true"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://example.com">
  <bpmn:process ${process}>
${body}
  </bpmn:process>
${ROOT_ELEMENTS}
</bpmn:definitions>`;
}

/** Sequence flows `a->b` written as `<sequenceFlow id="a-b" .../>`. */
export function flows(...pairs: string[]): string {
  return pairs
    .map((pair) => {
      const [source, target] = pair.split('->');
      return `<bpmn:sequenceFlow id="${source}-${target}" sourceRef="${source}" targetRef="${target}" />`;
    })
    .join('\n');
}

/** The problems `compiling` is rejected with; fails when it is not rejected with a RoutineCompileError. */
export async function problemsOf(compiling: Promise<unknown>): Promise<readonly CompileProblem[]> {
  const error = await compiling.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RoutineCompileError);
  return (error as RoutineCompileError).problems;
}
