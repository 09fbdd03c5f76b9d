import { z } from 'zod';

/**
 * An agent of a swarm's team: a role, a model and a system prompt, and what it may use. Agents
 * live in a tenant's catalog (PostgreSQL) or come with a swarm request.
 */
export const AgentId = z
  .string()
  .regex(/^[\w.:-]{1,100}$/, 'letters, digits, _ . : - only (at most 100)')
  .describe('unique in a team and in the catalog of a tenant');

export const Agent = z.strictObject({
  id: AgentId,
  role: z.string().min(1).describe('"leader" leads the swarm; others take subtasks'),
  description: z.string().default(''),
  model: z.string().min(1).optional().describe('a configured model name; absent: the default model'),
  systemPrompt: z.string().optional(),
  skills: z
    .array(z.string().min(1))
    .default([])
    .describe('what team assembly matches required skills against'),
  tools: z
    .array(z.string().min(1))
    .default([])
    .describe('MCP tools it may call: globs over "<server>/<tool>"'),
  routines: z.array(z.string().min(1)).default(['*']).describe('routines it may run: globs over routine ids'),
});
export type Agent = z.infer<typeof Agent>;
export type AgentInput = z.input<typeof Agent>;

/** The role of the agent that plans and acts for the whole swarm. */
export const LEADER_ROLE = 'leader';

/** What a team is assembled from when a request names no team: roles and skills the catalog must cover. */
export const TeamRequirements = z.strictObject({
  roles: z.array(z.string().min(1)).default([]),
  skills: z.array(z.string().min(1)).default([]),
});
export type TeamRequirements = z.infer<typeof TeamRequirements>;
