import type { Definitions, Process } from 'bpmn-moddle';
import type { CompiledRoutine, ProcessGraph } from '../../schema/graph.ts';
import { type CompileProblem, RoutineCompileError, reporter } from '../errors.ts';
import { checkExtensions } from './extensions.ts';
import { checkForkBranches, findBlockForks } from './forks.ts';
import { parseBpmn } from './parse.ts';
import { compileScope } from './scopes.ts';
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
  const withForks = graphs.map((graph) => ({ ...graph, forks: findBlockForks(graph.elements, graph.flows) }));
  for (const graph of withForks) checkForkBranches(graph, problems);
  if (problems.length > 0) throw new RoutineCompileError(problems);
  return {
    processes: Object.fromEntries(withForks.map((graph) => [graph.id, graph])),
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
  const id = process.id ?? '';
  const { elements, flows, entry } = compileScope(process, id, 'process', flagged, problems);
  if (parsedCleanly) validateGraph(elements, flows, problems);
  return {
    id,
    ...(process.name === undefined ? {} : { name: process.name }),
    startId: entry?.startId ?? '',
    eventSubProcesses: entry?.eventSubProcesses ?? [],
    elements,
    flows,
    forks: {},
  };
}
