import type { Definitions, FlowNode, ModdleElement, Process } from 'bpmn-moddle';
import type { CompiledRoutine, FlowElement, ProcessGraph, SequenceFlow } from '../../schema/graph.ts';
import { type CompileProblem, RoutineCompileError, reporter } from '../errors.ts';
import { ELEMENT_RULES, IGNORED_ELEMENTS } from './elements.ts';
import { eventKinds } from './events.ts';
import { checkExtensions } from './extensions.ts';
import { compileFlows } from './flows.ts';
import { findBlockForks } from './forks.ts';
import { parseBpmn } from './parse.ts';
import { validateGraph } from './validate.ts';

/** Process-level zeebe extensions with no run-time meaning here. */
const PROCESS_EXTENSIONS = ['zeebe:VersionTag', 'zeebe:UserTaskForm'];

/** Compiles BPMN 2.0 XML (Camunda 8 dialect) or throws a RoutineCompileError listing every problem. */
export async function compileBpmn(xml: string): Promise<CompiledRoutine> {
  const { definitions, problems } = await parseBpmn(xml);
  const parsedCleanly = problems.length === 0;
  const flagged = new Set(problems.flatMap((problem) => problem.elementId ?? []));
  const processes = executableProcesses(definitions, problems);
  const graphs = processes.map((process) => compileProcess(process, parsedCleanly, flagged, problems));
  const [main] = graphs;
  if (problems.length > 0 || !main) throw new RoutineCompileError(problems);
  return {
    processes: Object.fromEntries(
      graphs.map((graph) => [graph.id, { ...graph, forks: findBlockForks(graph.elements, graph.flows) }]),
    ),
    defaultProcessId: main.id,
  };
}

/** The processes marked executable, or all of them when none is. */
function executableProcesses(definitions: Definitions, problems: CompileProblem[]): Process[] {
  const processes = (definitions.rootElements ?? []).filter(
    (element): element is Process => element.$type === 'bpmn:Process',
  );
  const executable = processes.filter((process) => process.isExecutable === true);
  if (processes.length === 0) {
    problems.push({
      elementId: definitions.id,
      elementType: definitions.$type,
      message: 'the model has no process',
    });
  }
  return executable.length > 0 ? executable : processes;
}

function compileProcess(
  process: Process,
  parsedCleanly: boolean,
  flagged: ReadonlySet<string>,
  problems: CompileProblem[],
): ProcessGraph {
  const report = reporter(problems, { id: process.id, type: process.$type });
  if (process.id === undefined) report('has no id');
  checkExtensions(process, PROCESS_EXTENSIONS, report);
  const nodes = flowNodes(process, problems);
  const flows = compileFlows(process, new Set(nodes.map((node) => node.id)), flagged, problems);
  const elements = compileElements(nodes, flows, problems);
  const starts = nodes.filter((node) => node.$type === 'bpmn:StartEvent' && eventKinds(node).length === 0);
  if (starts.length !== 1) {
    const found = starts.map((start) => `"${start.id}"`).join(', ');
    report(`needs exactly one none start event, found ${starts.length}${found ? `: ${found}` : ''}`);
  }
  if (parsedCleanly) validateGraph(elements, flows, problems);
  return {
    id: process.id ?? '',
    ...(process.name === undefined ? {} : { name: process.name }),
    startId: starts[0]?.id ?? '',
    elements,
    flows,
    forks: {},
  };
}

type IdentifiedNode = FlowNode & { readonly id: string };

/** The process's flow nodes: its flow elements but sequence flows and ignored data elements. */
function flowNodes(process: Process, problems: CompileProblem[]): IdentifiedNode[] {
  const nodes = (process.flowElements ?? []).filter(
    (element) => element.$type !== 'bpmn:SequenceFlow' && !IGNORED_ELEMENTS.has(element.$type),
  );
  for (const node of nodes) {
    if (node.id === undefined) problems.push({ elementType: node.$type, message: 'has no id' });
  }
  return nodes.filter(hasId);
}

function hasId(node: ModdleElement): node is IdentifiedNode {
  return node.id !== undefined;
}

function compileElements(
  nodes: readonly IdentifiedNode[],
  flows: Readonly<Record<string, SequenceFlow>>,
  problems: CompileProblem[],
): Record<string, FlowElement> {
  const flowList = Object.values(flows);
  const elements: Record<string, FlowElement> = {};
  for (const node of nodes) {
    const report = reporter(problems, { id: node.id, type: node.$type });
    const rule = ELEMENT_RULES[node.$type];
    if (!rule) {
      report('not supported yet');
      continue;
    }
    checkExtensions(node, rule.extensions, report);
    const element = rule.compile(
      node,
      {
        id: node.id,
        ...(node.name === undefined ? {} : { name: node.name }),
        incoming: flowList.filter((flow) => flow.target === node.id).map((flow) => flow.id),
        outgoing: flowList.filter((flow) => flow.source === node.id).map((flow) => flow.id),
        inputs: [],
        outputs: [],
      },
      report,
    );
    if (element) elements[node.id] = element;
  }
  return elements;
}
