import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type CompileProblem, RoutineCompileError } from '../../../compiler/index.ts';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/bpmn/${name}`, import.meta.url));
}

export function fixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** A Camunda 8 model with one process around `body`. */
export function model(body: string, process = 'id="p" isExecutable="true"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://example.com">
  <bpmn:process ${process}>
${body}
  </bpmn:process>
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
