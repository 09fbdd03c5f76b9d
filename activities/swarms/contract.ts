import type { Agent, TeamRequirements } from '../../schema/agent.ts';
import type { JsonValue, Variables } from '../../schema/json.ts';
import type { KnowledgeHit } from '../../schema/knowledge.ts';
import type { RunWorkflowInput } from '../../schema/run.ts';
import type { SubtaskProposal, SwarmRecord, TranscriptEntry } from '../../schema/swarm.ts';
import type { KnowledgeSearchInput, ResourceManageInput } from '../../schema/swarm-tools.ts';

/**
 * The activities the swarm workflow calls, as the workflow sees them. Their implementations
 * live beside this file; the workflow imports only these types.
 */
export interface SwarmActivities {
  /** The models the worker has: whether the leader can plan with an LLM. */
  swarmModels(): Promise<{ defaultModel?: string; names: string[] }>;
  /**
   * A team for `requirements` from the tenant's agent catalog: one agent per required role
   * and agents covering the required skills, plus a leader (a default one when the catalog has
   * none). Fails (non-retryable, type `TeamNotAssembled`) naming each role or skill no agent has.
   */
  assembleSwarmTeam(request: { tenantId: string; requirements: TeamRequirements }): Promise<Agent[]>;
  /**
   * The rule-based planner: routines of the tenant's catalog that the knowledge base's semantic
   * search finds related to the goal (by the embedder's calibrated thresholds), as subtasks (at most `maxSubtasks`); a routine depends on another
   * when its input schema requires a property the other's output schema has. The assignee is
   * a team agent allowed to run the routine. Fails (non-retryable) with type `NoMatchingRoutine`
   * naming the nearest routines and their scores when no routine is like the goal, and with
   * type `MissingRoutineInput` naming the fields when a routine's required input is in neither
   * `input` nor its dependencies' outputs; the failure's first detail is `{hint}`.
   */
  planSwarmFromCatalog(request: {
    tenantId: string;
    goal: string;
    team: Agent[];
    maxSubtasks: number;
    /** The swarm's input, which every routine subtask starts with; absent in histories before it was sent. */
    input?: Variables;
  }): Promise<SubtaskProposal[]>;
  /**
   * The input of a child run of the routine's latest version (or `version`), its input checked
   * against the routine's input schema. Unknown routines and invalid input fail non-retryably
   * with a message naming the routine and the fields.
   */
  prepareSwarmRun(request: {
    tenantId: string;
    routineId: string;
    version?: number;
    runId: string;
    input: Variables;
  }): Promise<RunWorkflowInput>;
  /** Upserts the swarm's read model row and its subtasks' rows (idempotent). */
  recordSwarm(record: SwarmRecord): Promise<void>;
  /** The `knowledge_search` tool: the tenant's knowledge most like the query (semantic search), best first. */
  searchSwarmKnowledge(request: { tenantId: string; input: KnowledgeSearchInput }): Promise<KnowledgeHit[]>;
  /** Appends transcript entries; an entry already stored (same swarm and seq) is left as it is. */
  appendSwarmTranscript(request: {
    tenantId: string;
    swarmId: string;
    entries: TranscriptEntry[];
  }): Promise<void>;
  /**
   * The `resource_manage` tool: find routines or agents (semantic search of the knowledge base), add/update/delete agents,
   * add (register) or delete routines. Only an agent whose role is "leader" may change the
   * catalog; others may find. A refusal or bad definition fails non-retryably with the reason.
   */
  manageSwarmResource(request: {
    tenantId: string;
    agent: Agent;
    input: ResourceManageInput;
  }): Promise<JsonValue>;
}
