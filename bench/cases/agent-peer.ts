import { randomUUID } from 'node:crypto';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import pg from 'pg';
import { builtinTaskTypes } from '../../activities/task-types/builtins.ts';
import type { CaseContext } from '../case-context.ts';
import { taskQueue } from '../environment.ts';
import { pooled } from '../history.ts';
import { sequenceRoutine } from '../models/sequence.ts';
import { incrementHeaders, STEP_TASK_TYPE } from '../models/step.ts';
import type { BenchPlan } from '../plan.ts';
import { type CaseRow, row } from '../results.ts';
import { runRoutine, sampledStepTimings } from '../runs.ts';
import { percentile, perSecond } from '../stats.ts';
import { measureRounds, type Variant } from '../variants.ts';

const jobTimeoutMs = 120_000;
const checkpointSchema = 'langgraph_bench';
type Durability = 'sync' | 'async';

const State = Annotation.Root({ counter: Annotation<number> });
type GraphState = typeof State.State;

/**
 * Case 4: a durable-agent peer. The same linear graph of deterministic steps in LangGraph JS,
 * checkpointed to PostgreSQL by PostgresSaver, against a Swarmflow sequence routine. LangGraph runs
 * in the bench's own process; each of its steps writes a checkpoint, each Swarmflow step is an
 * activity recorded in Temporal's history.
 */
export async function agentPeerCase(
  { env, resources, log }: CaseContext,
  plan: BenchPlan['agentPeer'],
): Promise<CaseRow[]> {
  const { steps } = plan;
  const queue = taskQueue('agent-peer');
  const client = await resources.openClient(queue);
  await client.registerRoutine(sequenceRoutine('bench_agent_peer', steps));
  const worker = await resources.startWorker('swarmflow', queue);
  const pool = new pg.Pool({ connectionString: env.databaseUrl, max: plan.concurrency + 2 });
  const checkpointer = new PostgresSaver(pool, undefined, { schema: checkpointSchema });
  try {
    await checkpointer.setup();
    const graph = new LangGraphChain(steps, checkpointer);
    const swarmflow: Variant = {
      label: `Swarmflow sequence-${steps}`,
      processes: [{ label: 'worker', pid: worker.pid }],
      run: () => runRoutine(client, 'bench_agent_peer', { counter: 0 }, { counter: steps }),
    };
    const langGraph = (durability: Durability): Variant => ({
      label: `LangGraph ${steps} nodes, PostgresSaver, durability ${durability}`,
      processes: [{ label: 'client', pid: process.pid }],
      run: async (measured) => {
        await graph.invoke(durability, measured);
        return undefined;
      },
    });
    const sync = langGraph('sync');
    const async = langGraph('async');
    log(
      `case 4: ${plan.rounds} rounds of ${plan.roundMs / 1000} s per variant at concurrency ${plan.concurrency}`,
    );
    const results = await measureRounds([swarmflow, sync, async], { ...plan, jobTimeoutMs }, log);
    const result = (variant: Variant) => {
      const found = results.get(variant.label);
      if (!found) throw new Error(`no result for ${variant.label}`);
      return found;
    };
    const swarmflowSteps = pooled(
      await sampledStepTimings(
        client.temporal,
        result(swarmflow).workflowIds,
        'executeMeteredStep',
        plan.historySample,
      ),
    ).stepMs;
    const rows: CaseRow[] = [];
    for (const [variant, durability] of [
      [sync, 'sync'],
      [async, 'async'],
    ] as const) {
      const name = `4 agent peer: Swarmflow sequence-${steps} vs LangGraph + PostgresSaver (durability ${durability})`;
      const stepMs = graph.stepMs(durability);
      const stepsPerSecond = (variant: Variant) =>
        perSecond(result(variant).completed * steps, result(variant).elapsedMs);
      rows.push(
        row(
          name,
          `throughput at concurrency ${plan.concurrency}`,
          stepsPerSecond(swarmflow),
          stepsPerSecond(variant),
          'steps/s',
        ),
        row(name, 'step latency p50', percentile(swarmflowSteps, 50), percentile(stepMs, 50), 'ms'),
        row(name, 'step latency p95', percentile(swarmflowSteps, 95), percentile(stepMs, 95), 'ms'),
        row(name, 'failed runs', result(swarmflow).failures.length, result(variant).failures.length, 'runs'),
      );
    }
    return rows;
  } finally {
    await checkpointer.end();
  }
}

/**
 * A linear LangGraph graph whose nodes run Swarmflow's own `set` step. It records when each node
 * ends, so that step latency is measured as in Temporal's histories: from one step's end to the next's.
 */
class LangGraphChain {
  private readonly graph;
  private readonly ends = new Map<string, number[]>();
  private readonly latencies: Record<Durability, number[]> = { sync: [], async: [] };

  constructor(
    private readonly steps: number,
    checkpointer: PostgresSaver,
  ) {
    const names = Array.from({ length: steps }, (_, index) => `s${index + 1}`);
    const step = (state: GraphState, config: LangGraphRunnableConfig) => this.step(state, config);
    const builder = new StateGraph(State).addNode(names.map((name): [string, typeof step] => [name, step]));
    const chain = [START, ...names, END];
    chain.slice(1).forEach((target, index) => {
      builder.addEdge(chain[index] ?? START, target);
    });
    this.graph = builder.compile({ checkpointer });
  }

  /** Runs the graph once on a new thread; a measured run keeps its step latencies. */
  async invoke(durability: Durability, measured: boolean): Promise<void> {
    const threadId = randomUUID();
    this.ends.set(threadId, []);
    try {
      const result = await this.graph.invoke(
        { counter: 0 },
        { configurable: { thread_id: threadId }, durability },
      );
      if (result.counter !== this.steps)
        throw new Error(`LangGraph counted ${result.counter}, not ${this.steps}`);
      const ends = this.ends.get(threadId) ?? [];
      if (measured)
        this.latencies[durability].push(...ends.slice(1).map((end, index) => end - (ends[index] ?? end)));
    } finally {
      this.ends.delete(threadId);
    }
  }

  stepMs(durability: Durability): number[] {
    return this.latencies[durability];
  }

  private async step(state: GraphState, config: LangGraphRunnableConfig): Promise<Partial<GraphState>> {
    const result = await builtinTaskTypes[STEP_TASK_TYPE]?.({
      variables: state,
      headers: incrementHeaders('counter'),
      signal: config.signal ?? new AbortController().signal,
      heartbeat: () => {},
    });
    this.ends.get(String(config.configurable?.thread_id))?.push(performance.now());
    return { counter: Number(result?.counter) };
  }
}
