import { loadDeploymentConfig } from '../config/load-deployment-config.ts';
import { createEmbedder } from './create-embedder.ts';
import type { Embedder } from './embedder.ts';

let loaded: Promise<Embedder> | undefined;

/**
 * The embedder the deployment config (SWARMFLOW_CONFIG or swarmflow.config.json) names, loaded
 * once per process: what the SDK, the API server and the CLI embed with, as the workers do.
 * @throws ValidationError when the config is invalid; EmbeddingError when its API key variable is unset.
 */
export function deploymentEmbedder(): Promise<Embedder> {
  loaded ??= loadDeploymentConfig().then((config) => createEmbedder(config.embeddings));
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}
