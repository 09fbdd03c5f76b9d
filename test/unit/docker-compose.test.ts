import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadConfig } from '../../schema/config.ts';
import { searchAttributeFlags } from '../../schema/search-attributes.ts';
import { temporalSecurityVariables } from '../../schema/temporal-security.ts';

// No Docker engine runs in CI, so this test is what keeps docker-compose.yml consistent with the
// code and closed to the outside: only the API server is published, and nothing has a default password.

const ComposeService = z.object({
  image: z.string(),
  profiles: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.coerce.string()).default({}),
  ports: z.array(z.string()).default([]),
  command: z.union([z.string(), z.array(z.string())]).optional(),
  deploy: z.object({ replicas: z.number() }).optional(),
});
const ComposeFile = z.object({ services: z.record(z.string(), ComposeService) });

const composeText = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');

/**
 * Compose's variable interpolation: `${NAME}`, `${NAME:-default}` (also when empty), `${NAME:?error}`
 * (refuses to start when NAME is unset or empty) and `$$` for a literal `$`.
 */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (whole, name?: string, kind?: string, word = '') => {
      if (whole === '$$') return '$';
      const value = env[name as string];
      if (value) return value;
      if (kind === '?') throw new Error(`required variable ${name} is missing a value: ${word}`);
      return kind === '-' ? word : '';
    },
  );
}

const postgresPassword = 'test-password';
const compose = ComposeFile.parse(
  parse(interpolate(composeText, { POSTGRES_PASSWORD: postgresPassword }), { merge: true }),
);

function service(name: string) {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
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
const api = service('swarmflow-api');

describe('docker-compose.yml', () => {
  it('pins every image to a version', () => {
    for (const [name, { image }] of Object.entries(compose.services)) {
      const tag = image.split('/').at(-1)?.split(':')[1];
      expect(tag, `${name}: ${image}`).toBeTruthy();
      expect(tag, `${name}: ${image}`).not.toBe('latest');
    }
  });

  it('publishes the API server alone; the Web UI only by opt-in and on loopback', () => {
    expect(api.ports).toEqual(['8787:8787']);
    for (const [name, { ports, profiles }] of Object.entries(compose.services)) {
      if (name === 'swarmflow-api') continue;
      if (name === 'temporal-ui') {
        expect(profiles, name).toEqual(['ui']);
        for (const port of ports) expect(port, name).toMatch(/^127\.0\.0\.1:/);
      } else {
        expect(ports, name).toEqual([]);
      }
    }
  });

  it('has no default password: compose refuses to start without POSTGRES_PASSWORD', () => {
    expect(() => interpolate(composeText, {})).toThrow(/POSTGRES_PASSWORD/);
    expect(postgresql.environment.POSTGRES_PASSWORD).toBe(postgresPassword);
    expect(temporal.environment.POSTGRES_PWD).toBe(postgresPassword);
    expect(new URL(worker.environment.DATABASE_URL ?? '').password).toBe(postgresPassword);
    // Any other default is empty (an optional setting left unset), never a credential.
    const defaults = [...composeText.matchAll(/\$\{(\w+):-([^}]*)\}/g)];
    for (const [whole, , value] of defaults) expect(value, whole).toBe('');
  });

  it('runs the API server from the worker image with `swarmflow serve` on the published port', () => {
    expect(api.image).toBe(worker.image);
    expect([api.command ?? ''].flat().join(' ')).toBe(
      'node bin/swarmflow.js serve --host 0.0.0.0 --port 8787',
    );
    expect(api.environment).toMatchObject(worker.environment);
  });

  it('gives the worker the variables loadConfig reads, but Temporal TLS (the compose network is private)', () => {
    const security: string[] = Object.values(temporalSecurityVariables);
    const expected = variablesLoadConfigReads().filter((name) => !security.includes(name));
    expect(Object.keys(worker.environment).sort()).toEqual(expected.sort());
  });

  it('points the worker at the temporal and postgresql services', () => {
    expect(worker.environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
    const databaseUrl = new URL(worker.environment.DATABASE_URL ?? '');
    expect(databaseUrl.hostname).toBe('postgresql');
    expect(databaseUrl.port).toBe(temporal.environment.DB_PORT);
    expect(databaseUrl.username).toBe(postgresql.environment.POSTGRES_USER);
    expect(databaseUrl.pathname).toBe(`/${postgresql.environment.POSTGRES_DB}`);
  });

  it('runs Temporal on the postgresql service', () => {
    expect(temporal.environment).toMatchObject({
      DB: 'postgres12',
      DB_PORT: '5432',
      POSTGRES_SEEDS: 'postgresql',
      POSTGRES_USER: postgresql.environment.POSTGRES_USER,
    });
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
    expect(script).toContain('$SEARCH_ATTRIBUTES');
    expect(script).toContain('temporal operator search-attribute create');
  });

  it('runs the worker as replicas', () => {
    expect(worker.deploy?.replicas).toBeGreaterThanOrEqual(1);
  });
});
