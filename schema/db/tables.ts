import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Agent } from '../agent.ts';
import type { AuditActorKind, AuditOutcome } from '../audit.ts';
import type { EvalToolPolicy, ScorerResult, ScoreSource, StoredEvaluation } from '../evaluation.ts';
import type { CompiledRoutine } from '../graph.ts';
import type { TenantQuotas } from '../identity.ts';
import type { ImprovementPolicy } from '../improvement-policy.ts';
import type { JsonSchema, JsonValue, Variables } from '../json.ts';
import type { KnowledgeKind } from '../knowledge.ts';
import type { RunLimits } from '../limits.ts';
import type { ProposalDecision, ProposalScores } from '../proposal.ts';
import type { RoutineDefinition, RoutineVersion } from '../routine.ts';
import type { RunStatus, TraceEntry } from '../run.ts';
import type { SubSwarmSpec, SubtaskStatus, SwarmLimits, SwarmStatus, TranscriptEntry } from '../swarm.ts';
import type { Usage } from '../usage.ts';
import type { UserTaskRecord } from '../user-task.ts';
import type { VersionLineage, VersionStatus } from '../version-lineage.ts';

/** The PostgreSQL schema as Kysely sees it; migrations in ./migrations create it. */
export interface Database {
  tenants: TenantTable;
  api_keys: ApiKeyTable;
  routines: RoutineTable;
  routine_versions: RoutineVersionTable;
  runs: RunTable;
  run_steps: RunStepTable;
  user_tasks: UserTaskTable;
  agents: AgentTable;
  swarms: SwarmTable;
  swarm_subtasks: SwarmSubtaskTable;
  swarm_transcript: SwarmTranscriptTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadTable;
  run_scores: RunScoreTable;
  datasets: DatasetTable;
  dataset_versions: DatasetVersionTable;
  dataset_cases: DatasetCaseTable;
  eval_runs: EvalRunTable;
  eval_cases: EvalCaseTable;
  knowledge: KnowledgeTable;
  proposals: ProposalTable;
}

type RoutineKind = RoutineVersion['kind'];

/** Set by the database on insert (`now()`), never written by the application. */
type CreatedAt = ColumnType<Date, never, never>;

/** A JSON value that may be SQL null; written as JSON text (see JSONColumnType). */
type NullableJsonColumn<T extends object> = JSONColumnType<T | null, string | null, string | null>;

/** A JSON object or SQL null, which an insert may leave out (null then). */
type OptionalJsonColumn<T extends object> = ColumnType<T | null, string | null | undefined, string | null>;

/** Any JSON value (a string or number too), or SQL null when there is none. */
type NullableJsonValueColumn = ColumnType<JsonValue | null, string | null, string | null>;

export interface TenantTable {
  id: string;
  name: string;
  created_at: CreatedAt;
  /** Set when the tenant is disabled: its keys and tokens stop authenticating. */
  disabled_at: Date | null;
  /** Null (or an absent field) is unlimited. */
  quotas: NullableJsonColumn<TenantQuotas>;
}

/** API keys; `hash` is `scrypt$N$r$p$salt$hash` of the secret, which is never stored. */
export interface ApiKeyTable {
  id: string;
  tenant_id: string;
  name: string;
  role: string;
  hash: string;
  created_at: CreatedAt;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_by: string;
}

export interface RoutineTable {
  tenant_id: string;
  id: string;
  name: string;
  description: string | null;
  kind: RoutineKind;
  latest_version: number;
  /** The version runs start when they name none (0 while the first version is being registered). */
  active_version: Generated<number>;
  /** The candidate version a share of new runs start while a cycle watches it, or null. */
  canary_version: number | null;
  /** The share of new runs, 1 to 99 per cent, that start the canary version. */
  canary_percent: number | null;
  canary_started_at: Date | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface RoutineVersionTable {
  tenant_id: string;
  routine_id: string;
  version: number;
  kind: RoutineKind;
  source: string;
  compiled: JSONColumnType<CompiledRoutine>;
  hash: string;
  input_schema: NullableJsonColumn<JsonSchema>;
  output_schema: NullableJsonColumn<JsonSchema>;
  limits: JSONColumnType<Partial<RunLimits>>;
  /** The version's evaluation sections, its own and its steps'; null when it has none. */
  evaluation: NullableJsonColumn<StoredEvaluation>;
  status: Generated<VersionStatus>;
  parent_version: Generated<number | null>;
  lineage: OptionalJsonColumn<VersionLineage>;
  /** The definition as registered; null for versions registered before migration 0014. */
  definition: OptionalJsonColumn<RoutineDefinition>;
  improvement: OptionalJsonColumn<ImprovementPolicy>;
  /** When it last became the active version; null for versions never active. */
  activated_at: Generated<Date | null>;
  created_at: CreatedAt;
}

export interface RunTable {
  run_id: string;
  tenant_id: string;
  routine_id: string;
  routine_version: number;
  process_id: string;
  workflow_id: string;
  status: RunStatus;
  input: JSONColumnType<Variables>;
  outputs: NullableJsonColumn<Variables>;
  trace: NullableJsonColumn<TraceEntry[]>;
  error: string | null;
  usage: NullableJsonColumn<Usage>;
  started_at: Generated<Date>;
  ended_at: Date | null;
  updated_at: Generated<Date>;
  /** The mean of the run's latest live scores; null until it is scored. */
  score: number | null;
}

export interface RunStepTable {
  run_id: string;
  step_key: string;
  tenant_id: string;
  element_id: string;
  element_type: string;
  status: TraceEntry['status'];
  attempt: number;
  started_at: Date;
  ended_at: Date;
  duration_ms: number;
  output: NullableJsonColumn<Variables>;
  error: string | null;
  usage: NullableJsonColumn<Usage>;
  /** An LLM step's strategy (or "blocked"), why, its last model, turns and tool calls; null for other steps. */
  strategy: string | null;
  strategy_reason: string | null;
  model: string | null;
  turns: number | null;
  tool_calls: number | null;
  /** How an LLM step asked for its output schema (json_schema, tool, prompt); null without one. */
  structured_output: string | null;
  /** An LLM step's input: the fingerprint of the messages its model was first sent; null for other steps. */
  input_hash: string | null;
}

export interface UserTaskTable {
  run_id: string;
  task_key: string;
  tenant_id: string;
  element_id: string;
  name: string | null;
  assignee: string | null;
  candidate_groups: JSONColumnType<string[]>;
  due_date: Date | null;
  form_key: string | null;
  status: UserTaskRecord['status'];
  variables: JSONColumnType<Variables>;
  output: NullableJsonColumn<Variables>;
  created_at: CreatedAt;
  completed_at: Date | null;
  completed_by: string | null;
}

export interface AgentTable {
  tenant_id: string;
  id: string;
  role: string;
  description: string;
  model: string | null;
  system_prompt: string | null;
  skills: JSONColumnType<string[]>;
  tools: JSONColumnType<string[]>;
  routines: JSONColumnType<string[]>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface SwarmTable {
  swarm_id: string;
  tenant_id: string;
  workflow_id: string;
  parent_swarm_id: string | null;
  root_swarm_id: string;
  depth: number;
  goal: string;
  status: SwarmStatus;
  status_reason: string | null;
  result: NullableJsonValueColumn;
  usage: JSONColumnType<Usage>;
  team: JSONColumnType<Agent[]>;
  limits: JSONColumnType<SwarmLimits>;
  started_at: Generated<Date>;
  updated_at: Generated<Date>;
  ended_at: Date | null;
}

export interface SwarmSubtaskTable {
  swarm_id: string;
  subtask_id: string;
  /** Its place on the swarm's board, which lists subtasks in the order they were planned. */
  position: number;
  description: string;
  status: SubtaskStatus;
  assignee: string | null;
  depends_on: JSONColumnType<string[]>;
  routine_id: string | null;
  input: NullableJsonColumn<Variables>;
  sub_swarm: NullableJsonColumn<SubSwarmSpec>;
  run_id: string | null;
  child_swarm_id: string | null;
  result: NullableJsonValueColumn;
  error: string | null;
}

export interface SwarmTranscriptTable {
  swarm_id: string;
  seq: number;
  tenant_id: string;
  at: Date;
  sender: string;
  recipient: string;
  kind: TranscriptEntry['kind'];
  text: string;
}

/** Append-only: the database refuses UPDATE and DELETE (migration 0006). */
export interface AuditLogTable {
  seq: Generated<number>;
  tenant_id: string;
  tenant_seq: number;
  actor_kind: AuditActorKind;
  actor_id: string;
  action: string;
  target_kind: string;
  target_id: string | null;
  request_id: string | null;
  outcome: AuditOutcome;
  status_code: number | null;
  reason: string | null;
  at: Date;
  details: JSONColumnType<Variables>;
  prev_hash: string;
  hash: string;
}

/** Each tenant's chain head; it only moves forward, one entry at a time. */
export interface AuditHeadTable {
  tenant_id: string;
  length: Generated<number>;
  last_hash: string | null;
  last_at: Date | null;
}

/** A score on a run: a live scorer's, an eval's, a person's feedback, or an approval or user-task decision. */
export interface RunScoreTable {
  /** Derived from the work that wrote it (run, source, name and a key), so a retried write changes nothing. */
  id: string;
  tenant_id: string;
  run_id: string;
  routine_id: string;
  routine_version: number;
  source: ScoreSource;
  /** The scorer's name, or the feedback's channel. */
  name: string;
  score: number;
  reason: string | null;
  /** The identity that gave it (a person's subject, an API key's id); null for scorers. */
  given_by: string | null;
  details: NullableJsonColumn<Record<string, JsonValue>>;
  created_at: CreatedAt;
}

export interface DatasetTable {
  tenant_id: string;
  id: string;
  description: string | null;
  routine_id: string | null;
  latest_version: number;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** How a dataset version was built: from a JSONL file, from recorded runs (with the filter), or by hand. */
export type DatasetOrigin =
  | { kind: 'jsonl'; file?: string }
  | { kind: 'runs'; filter: Record<string, JsonValue> }
  | { kind: 'manual' }
  | { kind: 'split'; fromVersion: number; validationShare: number; seed: string };

export interface DatasetVersionTable {
  tenant_id: string;
  dataset_id: string;
  version: number;
  origin: JSONColumnType<DatasetOrigin>;
  case_count: number;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface DatasetCaseTable {
  tenant_id: string;
  dataset_id: string;
  version: number;
  ordinal: number;
  input: JSONColumnType<Variables>;
  expected: NullableJsonValueColumn;
  tags: JSONColumnType<string[]>;
  split: 'train' | 'validation' | null;
  source_run_id: string | null;
}

export interface EvalRunTable {
  /** The eval workflow's id. */
  eval_id: string;
  tenant_id: string;
  routine_id: string;
  routine_version: number;
  dataset_id: string | null;
  dataset_version: number | null;
  tool_policy: EvalToolPolicy;
  status: 'running' | 'completed' | 'failed';
  score: number | null;
  case_count: number;
  passed_count: number | null;
  usage: NullableJsonColumn<Usage>;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  error: NullableJsonColumn<Record<string, JsonValue>>;
  started_by: string | null;
  started_at: Generated<Date>;
  ended_at: Date | null;
}

export interface EvalCaseTable {
  eval_id: string;
  ordinal: number;
  tenant_id: string;
  run_id: string | null;
  input: JSONColumnType<Variables>;
  expected: NullableJsonValueColumn;
  output: NullableJsonValueColumn;
  score: number;
  passed: boolean;
  reasons: JSONColumnType<ScorerResult[]>;
  latency_ms: number | null;
  usage: NullableJsonColumn<Usage>;
  error: NullableJsonColumn<Record<string, JsonValue>>;
}

/** One embedded chunk of the knowledge base (migration 0012). `embedding` is pgvector's text form, e.g. "[0.1,0.2]". */
export interface KnowledgeTable {
  tenant_id: string;
  id: string;
  kind: KnowledgeKind;
  source_id: string;
  chunk: Generated<number>;
  title: string;
  content: string;
  metadata: ColumnType<Record<string, JsonValue>, string | undefined, string>;
  content_hash: string;
  embedder: string;
  embedding: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A candidate version an improvement cycle proposes, and what became of it. */
export interface ProposalTable {
  /** `<cycle id>/v<candidate version>`. */
  id: string;
  tenant_id: string;
  routine_id: string;
  cycle_id: string;
  candidate_version: number;
  baseline_version: number;
  optimizer: string;
  change: string;
  decision: ProposalDecision;
  why: string;
  scores: JSONColumnType<ProposalScores>;
  decided_by: string | null;
  reason: string | null;
  created_at: CreatedAt;
  decided_at: Date | null;
}
