import { randomUUID } from 'node:crypto';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BundleOptions, bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { connectDatabase, type DatabaseHandle } from '../activities/store/database.ts';
import { SwarmflowClient } from '../client/sdk.ts';
import { startDevServer } from '../client/server/dev-server.ts';
import { loadConfig } from '../schema/config.ts';
import { workflowBundleOptions } from '../workers/workflow-bundle.ts';
import { baselineWorkflowsPath } from './baseline/worker.ts';
import { createBenchDatabase } from './database.ts';
import { DYNAMIC_CONFIG, installDevServerShim, SQLITE_PRAGMAS } from './dev-server-shim.ts';
import { describeMachine, type MachineInfo } from './machine.ts';
import { Teardown } from './teardown.ts';
import { startWorkerProcess, type WorkerProcess } from './worker/process.ts';
import type { WorkerSpec } from './worker/spec.ts';

/** What every case shares: one dev server, one database and the workflow bundles. */
export interface BenchEnvironment {
  address: string;
  /** The dev server's process, for CPU accounting. */
  serverPid: number;
  namespace: string;
  databaseUrl: string;
  database: DatabaseHandle;
  machine: MachineInfo;
  /** The workflow bundles the workers run. */
  bundles: WorkflowBundles;
  /** Clients and workers for one case, closed and stopped when the case ends. */
  forCase(): CaseResources;
  close(): Promise<void>;
}

export interface CaseResources {
  /** A Swarmflow client on its own task queue; its `temporal` client serves the baselines too. */
  openClient(taskQueue: string): Promise<SwarmflowClient>;
  startWorker(kind: WorkerSpec['kind'], taskQueue: string): Promise<WorkerProcess>;
  close(): Promise<void>;
}

export interface WorkflowBundles {
  swarmflow: string;
  baseline: string;
}

const namespace = 'default';

export interface EnvironmentOptions {
  /** When set, every worker process writes V8 CPU profiles (one per thread) into this folder. */
  cpuProfileDir?: string;
  /** Every worker's workflow cache size; the SDK's default when omitted. */
  maxCachedWorkflows?: number;
}

/** Starts the dev server (SQLite with WAL) and a fresh database, and bundles the workflows. */
export async function startEnvironment(options: EnvironmentOptions = {}): Promise<BenchEnvironment> {
  const teardown = new Teardown();
  try {
    const dir = await mkdtemp(join(tmpdir(), 'swarmflow-bench-'));
    teardown.add('remove the scratch folder', () => rm(dir, { recursive: true, force: true }));
    const temporal = await installDevServerShim(join(dir, 'bin'));
    const home = join(dir, 'temporal');
    const started = [
      startDevServer({ home }).then((server) => {
        teardown.add('stop the dev server', server.stop);
        return server;
      }),
      createBenchDatabase().then((database) => {
        teardown.add('drop the database', database.drop);
        return database;
      }),
      bundle(dir),
    ] as const;
    await Promise.allSettled(started);
    const [server, created, bundles] = await Promise.all(started);
    await assertWal(join(home, 'temporal.db'));
    const database = await connectDatabase(created.url);
    teardown.add('close the database', database.close);
    const machine = await describeMachine(
      temporal,
      [
        `SQLite, ${SQLITE_PRAGMAS.map((pragma) => `PRAGMA ${pragma}`).join(', ')}`,
        ...DYNAMIC_CONFIG.map((value) => `dynamic config ${value}`),
      ].join('; '),
      created.version,
    );
    return {
      address: server.address,
      serverPid: server.pid,
      namespace,
      databaseUrl: created.url,
      database,
      machine,
      bundles,
      forCase() {
        const resources = new Teardown();
        teardown.add('close what a case left open', () => resources.run());
        return {
          async openClient(taskQueue) {
            const config = {
              ...loadConfig({}),
              temporalAddress: server.address,
              temporalNamespace: namespace,
              databaseUrl: created.url,
              home: dir,
              taskQueue,
            };
            const client = await SwarmflowClient.connect({ config, database });
            resources.add(`close the client of ${taskQueue}`, () => client.close());
            return client;
          },
          async startWorker(kind, taskQueue) {
            const bundlePath = kind === 'swarmflow' ? bundles.swarmflow : bundles.baseline;
            const spec = {
              kind,
              address: server.address,
              namespace,
              taskQueue,
              databaseUrl: created.url,
              bundlePath,
              maxCachedWorkflows: options.maxCachedWorkflows,
            };
            const worker = await startWorkerProcess(spec, options.cpuProfileDir);
            resources.add(`stop the ${kind} worker of ${taskQueue}`, worker.stop);
            return worker;
          },
          close: () => resources.run(),
        };
      },
      close: () => teardown.run(),
    };
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

/** A task queue of its own for each part of a case, so no worker ever sees another's tasks. */
export function taskQueue(label: string): string {
  return `bench-${label}-${randomUUID().slice(0, 8)}`;
}

async function bundle(dir: string): Promise<WorkflowBundles> {
  const logger = new DefaultLogger('WARN');
  const write = async (name: string, options: BundleOptions) => {
    const { code } = await bundleWorkflowCode({ ...options, logger });
    const file = join(dir, `${name}-bundle.js`);
    await writeFile(file, code);
    return file;
  };
  const [swarmflow, baseline] = await Promise.all([
    write('swarmflow', workflowBundleOptions),
    write('baseline', { workflowsPath: baselineWorkflowsPath }),
  ]);
  return { swarmflow, baseline };
}

/** SQLite creates `<db>-wal` beside the database only in WAL mode: proof the pragma took. */
async function assertWal(dbFile: string): Promise<void> {
  await access(`${dbFile}-wal`).catch(() => {
    throw new Error(`the dev server's SQLite database is not in WAL mode (no ${dbFile}-wal)`);
  });
}
