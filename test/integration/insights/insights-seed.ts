import type { Kysely } from 'kysely';
import type { Database } from '../../../schema/db/tables.ts';
import type { JsonSchema } from '../../../schema/json.ts';
import { compiledRoutine } from '../store/fixtures.ts';

/** Minute `m` of 2026-01-01, plus `seconds`. */
export const minute = (m: number, seconds = 0) => new Date(Date.UTC(2026, 0, 1, 0, m, seconds));

async function routine(
  db: Kysely<Database>,
  tenant: string,
  id: string,
  input: JsonSchema,
  output: JsonSchema,
) {
  await db
    .insertInto('routines')
    .values({ tenant_id: tenant, id, name: id, kind: 'sequence', latest_version: 1, active_version: 1 })
    .execute();
  await db
    .insertInto('routine_versions')
    .values({
      tenant_id: tenant,
      routine_id: id,
      version: 1,
      kind: 'sequence',
      source: '{}',
      compiled: JSON.stringify(compiledRoutine()),
      hash: id,
      input_schema: JSON.stringify(input),
      output_schema: JSON.stringify(output),
      limits: '{}',
    })
    .execute();
}

interface Step {
  element: string;
  status?: 'completed' | 'failed';
  ms?: number;
  credits?: number;
  strategy?: string;
  output?: Record<string, unknown>;
  error?: string;
  /** The fingerprint of what an LLM step's model was sent (none for rows from before it was recorded). */
  inputHash?: string;
}

async function run(
  db: Kysely<Database>,
  tenant: string,
  r: {
    id: string;
    routine: string;
    start: Date;
    end: Date;
    status?: 'completed' | 'failed';
    error?: string;
    input: object;
    outputs?: object;
  },
  steps: Step[] = [],
) {
  await db
    .insertInto('runs')
    .values({
      run_id: r.id,
      tenant_id: tenant,
      routine_id: r.routine,
      routine_version: 1,
      process_id: 'main',
      workflow_id: `run/${r.id}`,
      status: r.status ?? 'completed',
      input: JSON.stringify(r.input),
      outputs: r.outputs === undefined ? null : JSON.stringify(r.outputs),
      error: r.error ?? null,
      started_at: r.start,
      ended_at: r.end,
    })
    .execute();
  for (const [i, step] of steps.entries()) {
    await db
      .insertInto('run_steps')
      .values({
        run_id: r.id,
        step_key: `${step.element}#${i}`,
        tenant_id: tenant,
        element_id: step.element,
        element_type: 'serviceTask',
        status: step.status ?? 'completed',
        attempt: 1,
        started_at: r.start,
        ended_at: r.start,
        duration_ms: step.ms ?? 1000,
        output: step.output === undefined ? null : JSON.stringify(step.output),
        error: step.error ?? null,
        usage: JSON.stringify({
          inputTokens: 1,
          outputTokens: 1,
          toolCalls: 0,
          wallMs: 0,
          credits: step.credits ?? 0.01,
        }),
        strategy: step.strategy ?? null,
        input_hash: step.inputHash ?? null,
      })
      .execute();
  }
}

/**
 * Routine "quote" (input {sku}, output {sku, price}) and "order" (needs sku and price), with:
 * - runs q0..q7 of quote, one every ten minutes, a minute long (q7: ten minutes), each with an LLM
 *   step "price" (a function of the sku: q0, q2, q4, q6 have sku "a") and an LLM step "write"
 *   (a new text every run); price took 9 s on q3 (1 s elsewhere) and cost 0.5 on q4 (0.01 elsewhere);
 *   and an LLM step "classify" with a recorded input fingerprint, two inputs (q0, q3, q6: "h1";
 *   the others "h2") each always giving the same output, though runs of the same sku got both;
 * - q5 and q6 failed at "charge" (a card declined, two numbers); q8 failed with no step recorded;
 * - order runs o0, o1 ten seconds after q0, q1 ended, fed their outputs; a swarm whose "buy"
 *   subtask (order) depends on its "price" subtask (quote).
 */
export async function seedInsights(db: Kysely<Database>, tenant: string): Promise<void> {
  const sku = { type: 'string' };
  await routine(
    db,
    tenant,
    'quote',
    { type: 'object', required: ['sku'], properties: { sku } },
    {
      type: 'object',
      properties: { sku, price: { type: 'number' } },
    },
  );
  await routine(
    db,
    tenant,
    'order',
    { type: 'object', required: ['sku', 'price'], properties: { sku, price: { type: 'number' } } },
    { type: 'object', properties: { orderId: { type: 'string' } } },
  );
  for (let i = 0; i <= 7; i++) {
    const s = i % 2 === 0 ? 'a' : 'b';
    const failed = i === 5 || i === 6;
    await run(
      db,
      tenant,
      {
        id: `q${i}`,
        routine: 'quote',
        start: minute(i * 10),
        end: minute(i * 10 + (i === 7 ? 10 : 1)),
        input: { sku: s },
        ...(failed ? { status: 'failed', error: 'charge failed' } : { outputs: { sku: s, price: 3 } }),
      },
      [
        {
          element: 'price',
          strategy: 'conversational',
          output: { label: s.toUpperCase() },
          ms: i === 3 ? 9000 : 1000,
          credits: i === 4 ? 0.5 : 0.01,
        },
        { element: 'write', strategy: 'reasoning', output: { text: `draft ${i}` }, ms: 2000, credits: 0.02 },
        {
          element: 'classify',
          strategy: 'conversational',
          inputHash: i % 3 === 0 ? 'h1' : 'h2',
          output: { kind: i % 3 === 0 ? 'one' : 'two' },
        },
        ...(failed
          ? [
              {
                element: 'charge',
                status: 'failed' as const,
                ms: 500,
                error: `card ${i === 5 ? 4242 : 1111} declined`,
              },
            ]
          : []),
      ],
    );
  }
  await run(db, tenant, {
    id: 'q8',
    routine: 'quote',
    start: minute(80),
    end: minute(81),
    status: 'failed',
    error: 'timeout after 300s',
    input: { sku: 'c' },
  });
  for (const i of [0, 1]) {
    await run(db, tenant, {
      id: `o${i}`,
      routine: 'order',
      start: minute(i * 10 + 1, 10),
      end: minute(i * 10 + 1, 20),
      input: { sku: i === 0 ? 'a' : 'b', price: 3 },
      outputs: { orderId: `o${i}` },
    });
  }
  await db
    .insertInto('swarms')
    .values({
      swarm_id: `swarm-${tenant}`,
      tenant_id: tenant,
      workflow_id: `swarm/${tenant}`,
      root_swarm_id: `swarm-${tenant}`,
      depth: 0,
      goal: 'buy',
      status: 'completed',
      usage: '{}',
      team: '[]',
      limits: '{}',
      started_at: minute(0),
    })
    .execute();
  for (const [position, subtask] of [
    { id: 'price', routine: 'quote', dependsOn: [] },
    { id: 'buy', routine: 'order', dependsOn: ['price'] },
  ].entries()) {
    await db
      .insertInto('swarm_subtasks')
      .values({
        swarm_id: `swarm-${tenant}`,
        subtask_id: subtask.id,
        position,
        description: subtask.id,
        status: 'done',
        depends_on: JSON.stringify(subtask.dependsOn),
        routine_id: subtask.routine,
      })
      .execute();
  }
}
