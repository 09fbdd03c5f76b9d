import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { startsCanary } from '../../schema/canary-split.ts';
import type { Database, RoutineTable, RoutineVersionTable } from '../../schema/db/tables.ts';
import type { StoredEvaluation } from '../../schema/evaluation.ts';
import type { CompiledRoutine } from '../../schema/graph.ts';
import { type RoutineDefinition, RoutineSummary, RoutineVersion } from '../../schema/routine.ts';
import type { Activation, Canary } from '../../schema/version-activation.ts';
import type { VersionLineage } from '../../schema/version-lineage.ts';

export type { Activation, Canary };

import { UnknownRoutineError, UnknownRoutineVersionError } from './errors.ts';
import { similarIds } from './similar-ids.ts';
import { CanaryVersionError, NoPreviousVersionError } from './version-errors.ts';

/** How a version enters its life cycle: active (what a person registers) or proposed by a cycle. */
export interface VersionPlacement {
  /** Default active: the new version becomes the one runs start, the previous active one is retired. */
  status?: 'active' | 'candidate' | 'draft';
  parentVersion?: number;
  lineage?: VersionLineage;
}

export interface RoutineRegistration {
  version: number;
  /** False when a version with the same hash existed: that version is returned and nothing is written. */
  created: boolean;
}

type VersionRow = Selectable<RoutineVersionTable> & Pick<Selectable<RoutineTable>, 'name' | 'description'>;

/** What a routine's latest version is called, does, takes and gives: what planners and finders match on. */
export type RoutineInterface = Pick<
  RoutineVersion,
  'id' | 'name' | 'description' | 'inputSchema' | 'outputSchema'
>;

/** Routines and their versions, per tenant. */
export class RoutineStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Stores a compiled routine as its next version, unless a version with the same hash exists.
   * Concurrent registrations of one routine queue on its row, so versions never collide.
   */
  register(
    tenantId: string,
    definition: RoutineDefinition,
    compiled: CompiledRoutine,
    hash: string,
    source: string,
    /** Its evaluation sections, as compileEvaluation gives them. */
    evaluation?: StoredEvaluation,
    placement: VersionPlacement = {},
  ): Promise<RoutineRegistration> {
    const status = placement.status ?? 'active';
    return this.db.transaction().execute(async (trx) => {
      const latestVersion = await lockRoutine(trx, tenantId, definition);
      const existing = await trx
        .selectFrom('routine_versions')
        .select('version')
        .where('tenant_id', '=', tenantId)
        .where('routine_id', '=', definition.id)
        .where('hash', '=', hash)
        .executeTakeFirst();
      if (existing) {
        // The improvement section is the routine's policy, not the version's content: the latest word on it holds.
        await trx
          .updateTable('routine_versions')
          .set({ improvement: definition.improvement ? JSON.stringify(definition.improvement) : null })
          .where('tenant_id', '=', tenantId)
          .where('routine_id', '=', definition.id)
          .where('version', '=', existing.version)
          .execute();
        return { version: existing.version, created: false };
      }
      const version = latestVersion + 1;
      await trx
        .insertInto('routine_versions')
        .values({
          tenant_id: tenantId,
          routine_id: definition.id,
          version,
          kind: definition.body.kind,
          source,
          compiled: JSON.stringify(compiled),
          hash,
          input_schema: definition.inputSchema ? JSON.stringify(definition.inputSchema) : null,
          output_schema: definition.outputSchema ? JSON.stringify(definition.outputSchema) : null,
          limits: JSON.stringify(definition.limits ?? {}),
          evaluation: evaluation ? JSON.stringify(evaluation) : null,
          status,
          parent_version: placement.parentVersion ?? null,
          lineage: placement.lineage ? JSON.stringify(placement.lineage) : null,
          definition: JSON.stringify(definition),
          improvement: definition.improvement ? JSON.stringify(definition.improvement) : null,
        })
        .execute();
      if (status !== 'active') {
        // A proposal names the next version number but leaves the catalog entry and the active version.
        await trx
          .updateTable('routines')
          .set({ latest_version: version })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', definition.id)
          .execute();
        return { version, created: true };
      }
      await trx
        .updateTable('routines')
        .set({ ...catalogEntry(definition), latest_version: version, updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', definition.id)
        .execute();
      await activate(trx, tenantId, definition.id, version);
      return { version, created: true };
    });
  }

  /**
   * Makes a version of a routine the active one (runs without an explicit version start it) and
   * retires the version active before.
   * @throws UnknownRoutineError / UnknownRoutineVersionError for a routine (version) that does not exist.
   */
  async promote(tenantId: string, id: string, version: number): Promise<Activation> {
    await this.get(tenantId, id, version);
    return this.db.transaction().execute(async (trx) => {
      const previous = await lockActive(trx, tenantId, id);
      if (previous !== version) await activate(trx, tenantId, id, version);
      return { routineId: id, previous: previous || null, active: version };
    });
  }

  /**
   * Makes the version that was active before the current one active again.
   * @throws UnknownRoutineError for a routine that does not exist.
   * @throws NoPreviousVersionError when no other version of the routine was ever active.
   */
  async rollback(tenantId: string, id: string): Promise<Activation> {
    await this.get(tenantId, id);
    return this.db.transaction().execute(async (trx) => {
      const current = await lockActive(trx, tenantId, id);
      const previous = await trx
        .selectFrom('routine_versions')
        .select('version')
        .where('tenant_id', '=', tenantId)
        .where('routine_id', '=', id)
        .where('version', '!=', current)
        .where('activated_at', 'is not', null)
        .orderBy('activated_at', 'desc')
        .orderBy('version', 'desc')
        .executeTakeFirst();
      if (!previous) throw new NoPreviousVersionError(id, current);
      await activate(trx, tenantId, id, previous.version);
      return { routineId: id, previous: current, active: previous.version };
    });
  }

  /**
   * Starts a canary release: `percent` of the new runs that name no version start `version`, the
   * others the active version, until the canary is ended or a version is made active.
   * @throws UnknownRoutineError / UnknownRoutineVersionError for a routine (version) that does not exist.
   * @throws CanaryVersionError when `version` is the active one, or retired.
   */
  async startCanary(tenantId: string, id: string, version: number, percent: number): Promise<Canary> {
    const routine = await this.get(tenantId, id, version);
    if (routine.status === 'active' || routine.status === 'retired') {
      throw new CanaryVersionError(id, version, routine.status);
    }
    return this.db.transaction().execute(async (trx) => {
      const active = await lockActive(trx, tenantId, id);
      const row = await trx
        .updateTable('routines')
        .set({ canary_version: version, canary_percent: percent, canary_started_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .returning(['canary_started_at'])
        .executeTakeFirstOrThrow();
      return {
        routineId: id,
        activeVersion: active,
        version,
        percent,
        startedAt: row.canary_started_at as Date,
      };
    });
  }

  /** The routine's canary release, or undefined when none is going on. */
  async canary(tenantId: string, id: string): Promise<Canary | undefined> {
    const row = await this.db
      .selectFrom('routines')
      .select(['active_version', 'canary_version', 'canary_percent', 'canary_started_at'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || row.canary_version === null || row.canary_percent === null) return undefined;
    return {
      routineId: id,
      activeVersion: row.active_version,
      version: row.canary_version,
      percent: row.canary_percent,
      startedAt: row.canary_started_at as Date,
    };
  }

  /**
   * Ends the routine's canary release of `version` (if it still goes on) without making it active:
   * every new run starts the active version again. Returns whether it was going on.
   */
  async endCanary(tenantId: string, id: string, version: number): Promise<boolean> {
    const { numUpdatedRows } = await this.db
      .updateTable('routines')
      .set({ canary_version: null, canary_percent: null, canary_started_at: null })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('canary_version', '=', version)
      .executeTakeFirst();
    return numUpdatedRows === 1n;
  }

  /**
   * The version a new run starts: `version` when it names one; otherwise the canary version for
   * the canary's share of run ids (see startsCanary), else the active one.
   * @throws UnknownRoutineError / UnknownRoutineVersionError for a routine (version) that does not exist.
   */
  async forNewRun(tenantId: string, id: string, runId: string, version?: number): Promise<RoutineVersion> {
    if (version !== undefined) return this.get(tenantId, id, version);
    const canary = await this.canary(tenantId, id);
    const chosen = canary && startsCanary(runId, canary.percent) ? canary.version : undefined;
    return this.get(tenantId, id, chosen);
  }

  /** Sets a proposed version's status (a rejected or expired candidate is retired). */
  async setStatus(
    tenantId: string,
    id: string,
    version: number,
    status: 'candidate' | 'retired',
  ): Promise<void> {
    await this.db
      .updateTable('routine_versions')
      .set({ status })
      .where('tenant_id', '=', tenantId)
      .where('routine_id', '=', id)
      .where('version', '=', version)
      .where('status', '!=', 'active')
      .execute();
  }

  /** Adds eval ids to a version's lineage. */
  async addLineageEvals(tenantId: string, id: string, version: number, evalIds: string[]): Promise<void> {
    await this.db
      .updateTable('routine_versions')
      .set({
        lineage: sql`jsonb_set(lineage, '{evalIds}', coalesce(lineage->'evalIds', '[]'::jsonb) || ${JSON.stringify(evalIds)}::jsonb)`,
      })
      .where('tenant_id', '=', tenantId)
      .where('routine_id', '=', id)
      .where('version', '=', version)
      .where('lineage', 'is not', null)
      .execute();
  }

  /** A version's definition as registered (rebuilt from its stored parts for versions stored before it was kept). */
  async definition(tenantId: string, id: string, version?: number): Promise<RoutineDefinition> {
    const routine = await this.get(tenantId, id, version);
    const row = await this.db
      .selectFrom('routine_versions')
      .select('definition')
      .where('tenant_id', '=', tenantId)
      .where('routine_id', '=', id)
      .where('version', '=', routine.version)
      .executeTakeFirstOrThrow();
    if (row.definition) return row.definition;
    return {
      id: routine.id,
      name: routine.name,
      ...(routine.description === null ? {} : { description: routine.description }),
      ...(routine.inputSchema === null ? {} : { inputSchema: routine.inputSchema }),
      ...(routine.outputSchema === null ? {} : { outputSchema: routine.outputSchema }),
      limits: routine.limits,
      ...(routine.evaluation === null ? {} : { evaluation: routine.evaluation }),
      body:
        routine.kind === 'bpmn'
          ? { kind: 'bpmn', xml: routine.source }
          : { kind: 'sequence', steps: JSON.parse(routine.source) },
    };
  }

  /** A version of a routine, the active one when `version` is omitted. */
  async get(tenantId: string, id: string, version?: number): Promise<RoutineVersion> {
    const row = await this.db
      .selectFrom('routine_versions as v')
      .innerJoin('routines as r', (join) =>
        join.onRef('r.tenant_id', '=', 'v.tenant_id').onRef('r.id', '=', 'v.routine_id'),
      )
      .selectAll('v')
      .select(['r.name', 'r.description'])
      .where('v.tenant_id', '=', tenantId)
      .where('v.routine_id', '=', id)
      .where((eb) => eb('v.version', '=', version ?? eb.ref('r.active_version')))
      .executeTakeFirst();
    if (!row) throw await this.notFound(tenantId, id, version);
    return toRoutineVersion(row);
  }

  /** The tenant's routines, by id. */
  async list(tenantId: string): Promise<RoutineSummary[]> {
    const rows = await this.db
      .selectFrom('routines')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .execute();
    return rows.map(toRoutineSummary);
  }

  /** The interface of each of the tenant's routines at its latest version, by id. */
  async listInterfaces(tenantId: string): Promise<RoutineInterface[]> {
    const rows = await this.db
      .selectFrom('routines as r')
      .innerJoin('routine_versions as v', (join) =>
        join
          .onRef('v.tenant_id', '=', 'r.tenant_id')
          .onRef('v.routine_id', '=', 'r.id')
          .onRef('v.version', '=', 'r.active_version'),
      )
      .select(['r.id', 'r.name', 'r.description', 'v.input_schema', 'v.output_schema'])
      .where('r.tenant_id', '=', tenantId)
      .orderBy('r.id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      inputSchema: row.input_schema,
      outputSchema: row.output_schema,
    }));
  }

  /** Removes a routine with all its versions; returns whether there was one. Runs already started go on. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const { numDeletedRows } = await this.db
      .deleteFrom('routines')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return numDeletedRows === 1n;
  }

  private async notFound(tenantId: string, id: string, version: number | undefined): Promise<Error> {
    const routines = await this.db
      .selectFrom('routines')
      .select(['id', 'latest_version'])
      .where('tenant_id', '=', tenantId)
      .execute();
    const routine = routines.find((candidate) => candidate.id === id);
    if (routine && version !== undefined) {
      return new UnknownRoutineVersionError(id, version, routine.latest_version);
    }
    const ids = routines.map((candidate) => candidate.id);
    return new UnknownRoutineError(id, similarIds(id, ids));
  }
}

/** Locks the routine's row for the transaction; returns its active version. */
async function lockActive(trx: Transaction<Database>, tenantId: string, id: string): Promise<number> {
  const { active_version } = await trx
    .selectFrom('routines')
    .select('active_version')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return active_version;
}

/** Makes `version` active and retires the others that were (the caller holds the routine's lock). */
async function activate(
  trx: Transaction<Database>,
  tenantId: string,
  id: string,
  version: number,
): Promise<void> {
  await trx
    .updateTable('routine_versions')
    .set({ status: 'retired' })
    .where('tenant_id', '=', tenantId)
    .where('routine_id', '=', id)
    .where('status', '=', 'active')
    .where('version', '!=', version)
    .execute();
  await trx
    .updateTable('routine_versions')
    .set({ status: 'active', activated_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('routine_id', '=', id)
    .where('version', '=', version)
    .execute();
  // A new active version ends any canary release: its candidate was either made active or passed over.
  await trx
    .updateTable('routines')
    .set({
      active_version: version,
      canary_version: null,
      canary_percent: null,
      canary_started_at: null,
      updated_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/**
 * Creates the routine's catalog row if needed and locks it for the transaction; returns its
 * latest version (0 for a new routine, whose row the caller fills in before committing).
 */
async function lockRoutine(
  trx: Transaction<Database>,
  tenantId: string,
  definition: RoutineDefinition,
): Promise<number> {
  await trx
    .insertInto('routines')
    .values({ tenant_id: tenantId, id: definition.id, ...catalogEntry(definition), latest_version: 0 })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'id']).doNothing())
    .execute();
  const { latest_version } = await trx
    .selectFrom('routines')
    .select('latest_version')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', definition.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return latest_version;
}

function catalogEntry(definition: RoutineDefinition) {
  return {
    name: definition.name ?? definition.id,
    description: definition.description ?? null,
    kind: definition.body.kind,
  };
}

function toRoutineVersion(row: VersionRow): RoutineVersion {
  return RoutineVersion.parse({
    tenantId: row.tenant_id,
    id: row.routine_id,
    version: row.version,
    name: row.name,
    description: row.description,
    kind: row.kind,
    source: row.source,
    compiled: row.compiled,
    hash: row.hash,
    inputSchema: row.input_schema,
    outputSchema: row.output_schema,
    limits: row.limits,
    evaluation: ownSection(row.evaluation),
    stepEvaluations: row.evaluation?.steps ?? {},
    status: row.status,
    parentVersion: row.parent_version,
    lineage: row.lineage,
    improvement: row.improvement,
    createdAt: row.created_at,
  });
}

/** The routine's own section of what a version stores: null when only its steps have one. */
function ownSection(stored: StoredEvaluation | null) {
  if (!stored || stored.scorers.length === 0) return null;
  const { steps: _steps, ...own } = stored;
  return own;
}

function toRoutineSummary(row: Selectable<RoutineTable>): RoutineSummary {
  return RoutineSummary.parse({
    tenantId: row.tenant_id,
    id: row.id,
    name: row.name,
    description: row.description,
    latestVersion: row.latest_version,
    activeVersion: row.active_version || undefined,
    kind: row.kind,
    updatedAt: row.updated_at,
  });
}
