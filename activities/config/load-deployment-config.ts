import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  DeploymentConfig,
  type DeploymentConfigInput,
  type McpServerConfig,
} from '../../schema/deployment-config.ts';
import type { ModelConfig } from '../../schema/models.ts';
import { parseInput, ValidationError } from '../../schema/validation.ts';

export const CONFIG_FILE = 'swarmflow.config.json';

/**
 * The deployment config: `SWARMFLOW_CONFIG` if set (it must exist), else `swarmflow.config.json`
 * in `cwd` (absent: the empty config). Paths in it (script files, stdio servers' `cwd`) are
 * relative to the file's folder; stdio servers start in that folder unless they say otherwise.
 */
export async function loadDeploymentConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<DeploymentConfig> {
  const path = resolve(cwd, env.SWARMFLOW_CONFIG || CONFIG_FILE);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' && !env.SWARMFLOW_CONFIG) return undefined;
    throw new ValidationError(`deployment config ${path}`, [`(root): cannot read it: ${error.message}`]);
  });
  if (text === undefined) return parseDeploymentConfig({}, cwd);
  return parseDeploymentConfig(parseJson(text, path), dirname(path), `deployment config ${path}`);
}

/** Validates a config (from a file or from code) and makes its paths absolute against `baseDir`. */
export function parseDeploymentConfig(
  input: DeploymentConfigInput | unknown,
  baseDir: string,
  subject = 'deployment config',
): DeploymentConfig {
  const config = parseInput(DeploymentConfig, input, subject);
  return {
    ...config,
    mcpServers: mapValues(config.mcpServers, (server) => anchorServer(server, baseDir)),
    models: mapValues(config.models, (model) => anchorModel(model, baseDir)),
  };
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`deployment config ${path}`, [
      `(root): not valid JSON: ${(error as Error).message}`,
    ]);
  }
}

function anchorServer(server: McpServerConfig, baseDir: string): McpServerConfig {
  return server.transport === 'stdio' ? { ...server, cwd: resolve(baseDir, server.cwd ?? '.') } : server;
}

function anchorModel(model: ModelConfig, baseDir: string): ModelConfig {
  return model.provider === 'scripted' && model.script
    ? { ...model, script: resolve(baseDir, model.script) }
    : model;
}

function mapValues<T>(record: Record<string, T>, map: (value: T) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
