/**
 * Swarmflow from your own service, with the remote SDK: register a routine, start a run, watch
 * its progress, await its result, and handle the typed errors of a bad input and an unknown run.
 *
 *   SWARMFLOW_URL=http://127.0.0.1:8080 SWARMFLOW_API_KEY=sfk_… npx tsx examples/remote-client.ts
 *
 * The key needs a role that may register routines and start runs (`author` and `operator`, or
 * `admin`): `swarmflow keys create --name example --role admin`. In a service of your own, import
 * from `@swarmflow/client` instead of the path below.
 */
import { readFile } from 'node:fs/promises';
import {
  PermissionDeniedError,
  QuotaExceededError,
  type RoutineDefinitionInput,
  SwarmflowClient,
  UnknownRunError,
  ValidationError,
} from '../client/remote/index.ts';

const url = process.env.SWARMFLOW_URL;
const apiKey = process.env.SWARMFLOW_API_KEY;
if (!url || !apiKey) {
  console.error('set SWARMFLOW_URL (where `swarmflow serve` listens) and SWARMFLOW_API_KEY (an sfk_… key)');
  process.exit(2);
}

const client = new SwarmflowClient({ url, apiKey });

// A routine is data: this one is a sequence of three FEEL steps, with an input schema.
const greeting = JSON.parse(
  await readFile(new URL('./greeting.sequence.json', import.meta.url), 'utf8'),
) as RoutineDefinitionInput;
const routine = await client.registerRoutine(greeting);
console.log(
  `routine ${routine.id} v${routine.version} (${routine.created ? 'registered' : 'already there'})`,
);

try {
  const { runId } = await client.startRun({ routineId: routine.id, input: { name: 'Ada' } });
  console.log(`run ${runId} started`);

  // Each state as it changes, until the one that shows the run ended; `break` stops the polling.
  for await (const state of client.watchRun(runId, { pollIntervalMs: 250 })) {
    const at = state.activeElements.join(', ') || '-';
    console.log(`progress: ${state.status} · ${state.stepsExecuted} steps done · at ${at}`);
  }

  const outcome = await client.awaitRun(runId);
  console.log(`outcome: ${outcome.status} · shouted: ${String(outcome.outputs.shouted)}`);
} catch (error) {
  if (error instanceof QuotaExceededError) console.error(`quota reached: ${error.message}`);
  else if (error instanceof PermissionDeniedError) console.error(`the key may not: ${error.message}`);
  else throw error;
  process.exitCode = 1;
}

// A bad input is refused with a ValidationError naming the field, before the run starts.
try {
  await client.startRun({ routineId: routine.id, input: { name: 42 } });
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  console.log(`validation error: ${error.problems.join('; ')}`);
}

// A run the tenant does not have is an UnknownRunError carrying its id.
try {
  await client.getRunState('no-such-run');
} catch (error) {
  if (!(error instanceof UnknownRunError)) throw error;
  console.log(`unknown run: ${error.runId}`);
}

await client.close();
