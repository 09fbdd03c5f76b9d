import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, RoutineTable, RoutineVersionTable } from '../../schema/db/tables.ts';
import type { StoredEvaluation } from '../../schema/evaluation.ts';
import type { CompiledRoutine } from '../../schema/graph.ts';
import { type RoutineDefinition, RoutineSummary, RoutineVersion } from '../../schema/routine.ts';
import { UnknownRoutineError, UnknownRoutineVersionError } from './errors.ts';
import { similarIds } from './similar-ids.ts';

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
  ): Promise<RoutineRegistration> {
    return this.db.transaction().execute(async (trx) => {
      const latestVersion = await lockRoutine(trx, tenantId, definition);
      const existing = await trx
        .selectFrom('routine_versions')
        .select('version')
        .where('tenant_id', '=', tenantId)
        .where('routine_id', '=', definition.id)
        .where('hash', '=', hash)
        .executeTakeFirst();
      if (existing) return { version: existing.version, created: false };
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
        })
        .execute();
      await trx
        .updateTable('routines')
        .set({ ...catalogEntry(definition), latest_version: version, updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', definition.id)
        .execute();
      return { version, created: true };
    });
  }

  /** A version of a routine, the latest when `version` is omitted. */
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
      .where((eb) => eb('v.version', '=', version ?? eb.ref('r.latest_version')))
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
          .onRef('v.version', '=', 'r.latest_version'),
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
    kind: row.kind,
    updatedAt: row.updated_at,
  });
}
