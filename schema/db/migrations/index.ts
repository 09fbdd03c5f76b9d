import type { Migration } from 'kysely';
import * as initial from './0001_initial.ts';
import * as userTasks from './0002_user_tasks.ts';
import * as usage from './0003_usage.ts';
import * as stepUsage from './0004_step_usage.ts';
import * as swarms from './0005_swarms.ts';
import * as stepStructuredOutput from './0006_step_structured_output.ts';
import * as identities from './0007_identities.ts';
import * as audit from './0008_audit.ts';
import * as rowLevelSecurity from './0009_row_level_security.ts';
import * as userTaskCompletedBy from './0010_user_task_completed_by.ts';
import * as evaluation from './0011_evaluation.ts';
import * as knowledge from './0012_knowledge.ts';
import * as stepInputHash from './0013_step_input_hash.ts';
import * as versionLifecycle from './0014_version_lifecycle.ts';
import * as canary from './0015_canary.ts';
import * as proposalKnowledge from './0016_proposal_knowledge.ts';
import * as openIncidentsIndex from './0017_open_incidents_index.ts';

/**
 * Every migration, by name, for a Migrator with a custom provider: a static map works from
 * any working directory and inside a bundle, where a folder scan would not.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_user_tasks': userTasks,
  '0003_usage': usage,
  '0004_step_usage': stepUsage,
  '0005_swarms': swarms,
  '0006_step_structured_output': stepStructuredOutput,
  '0007_identities': identities,
  '0008_audit': audit,
  '0009_row_level_security': rowLevelSecurity,
  '0010_user_task_completed_by': userTaskCompletedBy,
  '0011_evaluation': evaluation,
  '0012_knowledge': knowledge,
  '0013_step_input_hash': stepInputHash,
  '0014_version_lifecycle': versionLifecycle,
  '0015_canary': canary,
  '0016_proposal_knowledge': proposalKnowledge,
  '0017_open_incidents_index': openIncidentsIndex,
};
