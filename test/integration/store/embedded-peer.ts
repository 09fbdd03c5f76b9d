/**
 * A second process on a home whose embedded database another process serves: it lists the
 * routines it sees, records a run, and prints `{ routineIds, servedBy }` as JSON.
 *
 *   node --import tsx test/integration/store/embedded-peer.ts <home> <runId>
 */
import { readFile } from 'node:fs/promises';
import { openDatabase } from '../../../activities/store/database.ts';
import { embeddedServerFilePath } from '../../../activities/store/embedded-server-file.ts';
import { RoutineStore } from '../../../activities/store/routine-store.ts';
import { recordRunStarted } from '../../../activities/store/run-read-model.ts';
import { embeddedConfig } from './backends.ts';

const [home, runId] = process.argv.slice(2);
if (!home || !runId) throw new Error('usage: embedded-peer.ts <home> <runId>');

const handle = await openDatabase(embeddedConfig(home));
try {
  const routineIds = (await new RoutineStore(handle.db).list('default')).map((routine) => routine.id);
  await recordRunStarted(handle.db, {
    runId,
    tenantId: 'default',
    routineId: 'shared',
    routineVersion: 1,
    processId: 'main',
    workflowId: `run/${runId}`,
    input: { from: 'peer' },
  });
  const servedBy: unknown = JSON.parse(await readFile(embeddedServerFilePath(home), 'utf8'));
  process.stdout.write(JSON.stringify({ routineIds, servedBy }));
} finally {
  await handle.close();
}
