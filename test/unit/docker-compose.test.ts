import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadConfig } from '../../schema/config.ts';
import { searchAttributeFlags } from '../../schema/search-attributes.ts';

// No Docker engine runs in CI, so this test is what keeps docker-compose.yml consistent with the code.

const ComposeService = z.object({
  image: z.string(),
  environment: z.record(z.string(), z.coerce.string()).default({}),
  ports: z.array(z.string()).default([]),
  command: z.union([z.string(), z.array(z.string())]).optional(),
  deploy: z.object({ replicas: z.number() }).optional(),
});
const ComposeFile = z.object({ services: z.record(z.string(), ComposeService) });

const compose = ComposeFile.parse(
  parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')),
);

function service(name: string) {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** The port a service listens on inside the compose network (the container side of `ports`). */
function containerPorts(name: string): string[] {
  return service(name).ports.map((mapping) => mapping.split(':').at(-1) ?? mapping);
}

/** The environment variable names loadConfig reads, found by recording its lookups. */
function variablesLoadConfigReads(): string[] {
  const read = new Set<string>();
  const recordingEnv = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_target, name) => {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  loadConfig(recordingEnv);
  return [...read];
}

const postgresql = service('postgresql');
const temporal = service('temporal');
const worker = service('swarmflow-worker');

describe('docker-compose.yml', () => {
  it('pins every image to a version', () => {
    for (const [name, { image }] of Object.entries(compose.services)) {
      const tag = image.split('/').at(-1)?.split(':')[1];
      expect(tag, `${name}: ${image}`).toBeTruthy();
      expect(tag, `${name}: ${image}`).not.toBe('latest');
    }
  });

  it('gives the worker exactly the variables loadConfig reads', () => {
    expect(Object.keys(worker.environment).sort()).toEqual(variablesLoadConfigReads().sort());
  });

  it('points the worker at the temporal and postgresql services', () => {
    const [temporalHost, temporalPort] = (worker.environment.TEMPORAL_ADDRESS ?? '').split(':');
    expect(temporalHost).toBe('temporal');
    expect(containerPorts('temporal')).toContain(temporalPort);

    const databaseUrl = new URL(worker.environment.DATABASE_URL ?? '');
    expect(databaseUrl.hostname).toBe('postgresql');
    expect(containerPorts('postgresql')).toContain(databaseUrl.port);
    expect(databaseUrl.username).toBe(postgresql.environment.POSTGRES_USER);
    expect(databaseUrl.pathname).toBe(`/${postgresql.environment.POSTGRES_DB}`);
  });

  it('runs Temporal on the postgresql service', () => {
    expect(temporal.environment).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'postgresql',
      POSTGRES_USER: postgresql.environment.POSTGRES_USER,
      POSTGRES_PWD: postgresql.environment.POSTGRES_PASSWORD,
    });
    expect(containerPorts('postgresql')).toContain(temporal.environment.DB_PORT);
  });

  it('points the Web UI at the Temporal frontend', () => {
    expect(service('temporal-ui').environment.TEMPORAL_ADDRESS).toBe(worker.environment.TEMPORAL_ADDRESS);
  });

  it("registers every Swarmflow search attribute in the worker's namespace", () => {
    const registration = service('temporal-search-attributes');
    expect(registration.environment.TEMPORAL_ADDRESS).toBe(worker.environment.TEMPORAL_ADDRESS);
    expect(registration.environment.TEMPORAL_NAMESPACE).toBe(worker.environment.TEMPORAL_NAMESPACE);
    expect(registration.environment.SEARCH_ATTRIBUTES?.split(/\s+/).sort()).toEqual(
      [...searchAttributeFlags].sort(),
    );
    const script = [registration.command ?? ''].flat().join('\n');
    expect(script).toContain('$$SEARCH_ATTRIBUTES');
    expect(script).toContain('temporal operator search-attribute create');
  });

  it('runs the worker as replicas', () => {
    expect(worker.deploy?.replicas).toBeGreaterThanOrEqual(1);
  });
});
