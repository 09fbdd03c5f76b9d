import { type Kysely, type Selectable, sql } from 'kysely';
import { Agent } from '../../schema/agent.ts';
import type { AgentTable, Database } from '../../schema/db/tables.ts';

/** The agents of each tenant's catalog, which teams are assembled from. */
export class AgentCatalog {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores the agent, replacing the one with its id. */
  async upsert(tenantId: string, agent: Agent): Promise<void> {
    const columns = agentColumns(agent);
    await this.db
      .insertInto('agents')
      .values({ tenant_id: tenantId, id: agent.id, ...columns })
      .onConflict((conflict) =>
        conflict.columns(['tenant_id', 'id']).doUpdateSet({ ...columns, updated_at: sql<Date>`now()` }),
      )
      .execute();
  }

  /** Stores the agent unless its id is taken; returns whether it did. */
  async insertNew(tenantId: string, agent: Agent): Promise<boolean> {
    const { numInsertedOrUpdatedRows } = await this.db
      .insertInto('agents')
      .values({ tenant_id: tenantId, id: agent.id, ...agentColumns(agent) })
      .onConflict((conflict) => conflict.columns(['tenant_id', 'id']).doNothing())
      .executeTakeFirst();
    return numInsertedOrUpdatedRows === 1n;
  }

  /** Replaces an existing agent; returns false when the catalog has none with its id. */
  async update(tenantId: string, agent: Agent): Promise<boolean> {
    const { numUpdatedRows } = await this.db
      .updateTable('agents')
      .set({ ...agentColumns(agent), updated_at: sql<Date>`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', agent.id)
      .executeTakeFirst();
    return numUpdatedRows === 1n;
  }

  async get(tenantId: string, id: string): Promise<Agent | undefined> {
    const row = await this.db
      .selectFrom('agents')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toAgent(row);
  }

  /** The tenant's agents, by id. */
  async list(tenantId: string): Promise<Agent[]> {
    const rows = await this.db
      .selectFrom('agents')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .execute();
    return rows.map(toAgent);
  }

  /** Removes the agent; returns whether there was one. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const { numDeletedRows } = await this.db
      .deleteFrom('agents')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return numDeletedRows === 1n;
  }
}

function agentColumns(agent: Agent) {
  return {
    role: agent.role,
    description: agent.description,
    model: agent.model ?? null,
    system_prompt: agent.systemPrompt ?? null,
    skills: JSON.stringify(agent.skills),
    tools: JSON.stringify(agent.tools),
    routines: JSON.stringify(agent.routines),
  };
}

function toAgent(row: Selectable<AgentTable>): Agent {
  return Agent.parse({
    id: row.id,
    role: row.role,
    description: row.description,
    ...(row.model === null ? {} : { model: row.model }),
    ...(row.system_prompt === null ? {} : { systemPrompt: row.system_prompt }),
    skills: row.skills,
    tools: row.tools,
    routines: row.routines,
  });
}
