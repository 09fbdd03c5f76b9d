import { Agent, type AgentInput } from '../../schema/agent.ts';
import { parseInput } from '../../schema/validation.ts';
import { UnknownAgentError } from '../errors.ts';
import type { ApiTransport } from './api-transport.ts';
import type { AgentsOperations } from './swarmflow-api.ts';

/** The tenant's agent catalog over the REST API, as the direct SDK's `client.agents`. */
export class RemoteAgents implements AgentsOperations {
  constructor(private readonly transport: ApiTransport) {}

  /**
   * Adds the agent, or replaces the one with its id; returns it with its defaults.
   * @throws ValidationError for a bad agent.
   */
  async register(agent: AgentInput): Promise<Agent> {
    const body = parseInput(Agent, agent, 'agent');
    return this.transport.call('registerAgent', { body });
  }

  /** The catalog's agents, by id. */
  async list(): Promise<Agent[]> {
    return (await this.transport.call('listAgents')).agents;
  }

  /**
   * The agent.
   * @throws UnknownAgentError, naming similar ids, when the catalog has none by that id.
   */
  async get(id: string): Promise<Agent> {
    return this.transport.call('getAgent', { params: { agentId: id } });
  }

  /** Removes the agent; returns whether the catalog had it (the API answers 404 when it did not). */
  async delete(id: string): Promise<boolean> {
    try {
      return (await this.transport.call('deleteAgent', { params: { agentId: id } })).deleted;
    } catch (error) {
      if (error instanceof UnknownAgentError) return false;
      throw error;
    }
  }
}
