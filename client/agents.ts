import type { Kysely } from 'kysely';
import { similarIds } from '../activities/store/similar-ids.ts';
import { AgentCatalog } from '../activities/swarms/agent-catalog.ts';
import { Agent, type AgentInput } from '../schema/agent.ts';
import type { Database } from '../schema/db/tables.ts';
import { parseInput } from '../schema/validation.ts';
import { UnknownAgentError } from './errors.ts';
import type { AgentsOperations } from './remote/swarmflow-api.ts';

/** The tenant's agent catalog, which swarms assemble their teams from. */
export class AgentsApi implements AgentsOperations {
  private readonly catalog: AgentCatalog;

  constructor(
    db: Kysely<Database>,
    private readonly tenantId: string,
  ) {
    this.catalog = new AgentCatalog(db);
  }

  /** Adds the agent, or replaces the one with its id; returns it with its defaults. */
  async register(agent: AgentInput): Promise<Agent> {
    const parsed = parseInput(Agent, agent, 'agent');
    await this.catalog.upsert(this.tenantId, parsed);
    return parsed;
  }

  /** The catalog's agents, by id. */
  list(): Promise<Agent[]> {
    return this.catalog.list(this.tenantId);
  }

  /** The agent; UnknownAgentError, naming similar ids, when the catalog has none by that id. */
  async get(id: string): Promise<Agent> {
    const agent = await this.catalog.get(this.tenantId, id);
    if (agent) return agent;
    const ids = (await this.list()).map((known) => known.id);
    throw new UnknownAgentError(id, similarIds(id, ids));
  }

  /** Removes the agent; returns whether the catalog had it. */
  delete(id: string): Promise<boolean> {
    return this.catalog.delete(this.tenantId, id);
  }
}
