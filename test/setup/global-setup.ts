import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type DevServerHandle, startDevServer } from '../../client/server/dev-server.ts';
import { ensurePgvector } from '../../client/server/pgvector-install.ts';
import { workflowBundleOptions } from '../../workers/workflow-bundle.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of the Temporal dev server shared by the whole run. */
    temporalAddress: string;
    /** URL of a PostgreSQL database created empty for this run. */
    databaseUrl: string;
    /** Scratch folder for this run, removed at the end. */
    testDataDir: string;
    /** The workflow code bundled once for the run, so each test's worker starts in milliseconds. */
    workflowBundlePath: string;
  }
}

type Teardown = () => Promise<void>;

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const adminDatabaseUrl = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Starts what the integration tests share (one Temporal dev server, one database) and tears it down after. */
export default async function setup(project: TestProject): Promise<Teardown> {
  const testDataDir = await createTestDataDir();
  const teardowns: Teardown[] = [() => rm(testDataDir, { recursive: true, force: true })];
  const tearDownAll = () => runInReverse(teardowns);
  const temporalStarted = startTemporal(testDataDir).then((server) => {
    teardowns.push(server.stop);
    return server;
  });
  // pgvector for migration 0012 (installed or built here when missing, as `npm test` does first).
  const databaseCreated = ensurePgvector({ url: adminDatabaseUrl })
    .then(() => createTestDatabase(`swarmflow_test_${process.pid}`))
    .then((database) => {
      teardowns.push(database.drop);
      return database;
    });
  const bundled = bundleWorkflows(testDataDir);
  try {
    const [temporal, database, workflowBundlePath] = await Promise.all([
      temporalStarted,
      databaseCreated,
      bundled,
    ]);
    project.provide('workflowBundlePath', workflowBundlePath);
    project.provide('temporalAddress', temporal.address);
    project.provide('databaseUrl', database.url);
    project.provide('testDataDir', testDataDir);
  } catch (error) {
    await Promise.allSettled([temporalStarted, databaseCreated, bundled]);
    await tearDownAll();
    throw error;
  }
  return tearDownAll;
}

/** Runs every teardown, last registered first, even when one fails; rethrows the first failure. */
async function runInReverse(teardowns: Teardown[]): Promise<void> {
  const failures: unknown[] = [];
  for (const teardown of [...teardowns].reverse()) {
    await teardown().catch((error: unknown) => failures.push(error));
  }
  if (failures.length > 0) throw failures[0];
}

async function createTestDataDir(): Promise<string> {
  const timestamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(projectRoot, '.test-data', `${timestamp}-${process.pid}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

async function bundleWorkflows(testDataDir: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions, logger: quietLogger });
  const path = join(testDataDir, 'workflow-bundle.js');
  await writeFile(path, code);
  return path;
}

const quietLogger = new DefaultLogger('WARN');

function startTemporal(testDataDir: string): Promise<DevServerHandle> {
  return startDevServer({ home: join(testDataDir, 'temporal') });
}

interface TestDatabase {
  url: string;
  drop: Teardown;
}

async function createTestDatabase(name: string): Promise<TestDatabase> {
  await runAdminStatements([`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, `CREATE DATABASE ${name}`]);
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runAdminStatements([`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
  };
}

async function runAdminStatements(statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach PostgreSQL at ${adminDatabaseUrl} (set TEST_POSTGRES_URL to an admin URL): ${error}`,
    );
  }
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}
