import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { BpmnModdle, type Definitions } from 'bpmn-moddle';
import { builtinTaskTypes } from '../../activities/task-types/builtins.ts';
import type { Variables } from '../../schema/json.ts';
import type { CaseContext } from '../case-context.ts';
import { taskQueue } from '../environment.ts';
import { linearBpmn } from '../models/bpmn.ts';
import { incrementHeaders, STEP_TASK_TYPE } from '../models/step.ts';
import type { BenchPlan } from '../plan.ts';
import { type CaseRow, row } from '../results.ts';
import { runRoutine } from '../runs.ts';
import { percentile, perSecond } from '../stats.ts';
import { measureRounds, type Variant } from '../variants.ts';

const jobTimeoutMs = 60_000;

/** What bpmn-engine hands a service task's function. */
interface ServiceContext {
  environment: { variables: Variables };
}
type ServiceCallback = (error: Error | null) => void;

/**
 * Case 5: the price of durability. The same BPMN model, run one instance at a time, in
 * bpmn-engine (in memory, nothing persisted) and in Swarmflow (every step an activity in
 * Temporal's history, every run and step in the read model). Both run the same `set` step.
 */
export async function inMemoryCase(
  { resources, log }: CaseContext,
  plan: BenchPlan['inMemory'],
  steps: number,
): Promise<CaseRow[]> {
  const xml = linearBpmn('bench_in_memory', steps);
  const elements = steps + 2;
  const queue = taskQueue('in-memory');
  const client = await resources.openClient(queue);
  await client.registerRoutine({ id: 'bench_in_memory', body: { kind: 'bpmn', xml } });
  await resources.startWorker('swarmflow', queue);
  // Swarmflow compiles a model once, when it is registered; bpmn-engine gets it parsed once too.
  const moddleContext = await new BpmnModdle().fromXML(xml);
  const engineRun = async () => {
    const counter = await runBpmnEngine(moddleContext);
    if (counter !== steps) throw new Error(`bpmn-engine counted ${counter}, not ${steps}`);
    return undefined;
  };
  const swarmflow: Variant = {
    label: `Swarmflow BPMN-${steps}`,
    processes: [],
    run: () => runRoutine(client, 'bench_in_memory', { counter: 0 }, { counter: steps }),
  };
  const engine: Variant = { label: `bpmn-engine BPMN-${steps}`, processes: [], run: engineRun };
  log(
    `case 5: one run at a time, ${plan.swarmflowMs / 1000} s in Swarmflow, ${plan.engineMs / 1000} s in bpmn-engine`,
  );
  const oneAtATime = (roundMs: number, warmup: number) => ({
    concurrency: 1,
    warmup,
    rounds: 1,
    roundMs,
    jobTimeoutMs,
  });
  const swarmflowResults = await measureRounds([swarmflow], oneAtATime(plan.swarmflowMs, plan.warmup), log);
  const engineResults = await measureRounds([engine], oneAtATime(plan.engineMs, plan.warmup * 10), log);
  const durable = swarmflowResults.get(swarmflow.label);
  const inMemory = engineResults.get(engine.label);
  if (!durable || !inMemory) throw new Error('case 5 measured nothing');
  const name = `5 durability: BPMN-${steps} in Swarmflow vs bpmn-engine (in memory)`;
  const p50 = (durations: number[]) => percentile(durations, 50);
  return [
    row(
      name,
      'run latency p50, one run at a time',
      p50(durable.durationsMs),
      p50(inMemory.durationsMs),
      'ms',
    ),
    row(
      name,
      `time per element p50 (${elements} elements)`,
      p50(durable.durationsMs) / elements,
      p50(inMemory.durationsMs) / elements,
      'ms',
    ),
    row(
      name,
      'throughput, one run at a time',
      perSecond(durable.completed, durable.elapsedMs),
      perSecond(inMemory.completed, inMemory.elapsedMs),
      'runs/s',
    ),
    row(name, 'failed runs', durable.failures.length, inMemory.failures.length, 'runs'),
  ];
}

/** Runs the model once in a new bpmn-engine and resolves with the final `counter`. */
async function runBpmnEngine(moddleContext: Awaited<ReturnType<BpmnModdle['fromXML']>>): Promise<number> {
  const listener = new EventEmitter();
  const ended = new Promise<number>((resolve, reject) => {
    listener.once('process.end', (api: ServiceContext) => resolve(Number(api.environment.variables.counter)));
    listener.once('process.error', reject);
  });
  const engine = new Engine({
    name: 'bench',
    // bpmn-engine's typings call this a Definitions, but it serializes the whole parse result.
    moddleContext: moddleContext as unknown as Definitions,
    variables: { counter: 0 },
    services: {
      step(context: ServiceContext, next: ServiceCallback) {
        const variables = context.environment.variables;
        stepWork(variables)
          .then((result) => {
            Object.assign(variables, result);
            next(null);
          })
          .catch(next);
      },
    },
  });
  await engine.execute({ listener });
  return ended;
}

/** Swarmflow's own `set` step: the work every engine runs per task. */
function stepWork(variables: Variables): Promise<Variables> {
  const set = builtinTaskTypes[STEP_TASK_TYPE];
  if (!set) throw new Error(`no built-in task type ${STEP_TASK_TYPE}`);
  return set({
    variables,
    headers: incrementHeaders('counter'),
    signal: new AbortController().signal,
    heartbeat: () => {},
  });
}
