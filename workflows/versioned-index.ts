/**
 * The workflows as a versioned worker bundles them: the same exports, each with its Worker
 * Versioning behaviour (PINNED / AUTO_UPGRADE) set. Only a worker that polls as a Worker
 * Deployment version may send a behaviour (Temporal refuses it from an unversioned worker:
 * "versioning behavior cannot be specified without deployment options"), so workflows/index.ts
 * leaves it out and versioned workers bundle this module instead.
 */
export * from './index.ts';

import './versioning-behaviors.ts';
