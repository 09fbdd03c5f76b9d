import type { Agent } from '../../schema/agent.ts';
import type { DeploymentConfig } from '../../schema/deployment-config.ts';
import type { CompiledRoutine } from '../../schema/graph.ts';

/** What a model must be able to do for the agents and routines that use it. */
export type ModelNeed = 'tools' | 'structured-output';

/** Why a model needs something: who uses it, for people reading a failed check. */
export interface ModelUse {
  need: ModelNeed;
  by: string;
}

/**
 * Each configured model's needs, from who uses it (pure):
 * - an agent (and a swarm's leader, the default model when the catalog has none) is always
 *   offered the swarm tools: its model needs tool calls;
 * - an LLM step needs tool calls when it may call tools, and structured output when it has an
 *   output schema; without a `model` it uses the default model;
 * - a fallback needs what its primary needs.
 */
export function modelUses(
  deployment: Pick<DeploymentConfig, 'models' | 'defaultModel'>,
  agents: readonly Agent[],
  routines: readonly { id: string; compiled: CompiledRoutine }[],
): Map<string, ModelUse[]> {
  const uses = new Map<string, ModelUse[]>();
  const add = (model: string | undefined, need: ModelNeed, by: string) => {
    const name = model ?? deployment.defaultModel;
    if (name === undefined || !(name in deployment.models)) return;
    uses.set(name, [...(uses.get(name) ?? []), { need, by }]);
  };
  for (const agent of agents) add(agent.model, 'tools', `agent ${agent.id}`);
  if (agents.length === 0) add(undefined, 'tools', "a swarm's default leader");
  for (const routine of routines) {
    for (const step of llmSteps(routine.compiled)) {
      if (step.tools.length > 0) add(step.model, 'tools', `routine ${routine.id}`);
      if (step.outputSchema) add(step.model, 'structured-output', `routine ${routine.id}`);
    }
  }
  for (const [name, model] of Object.entries(deployment.models)) {
    for (const fallback of model.fallbacks) {
      for (const use of uses.get(name) ?? []) add(fallback, use.need, `${use.by} (fallback of ${name})`);
    }
  }
  return uses;
}

interface LlmStepShape {
  model?: string;
  tools: unknown[];
  outputSchema?: unknown;
}

/** Every LLM step of a compiled routine, however deep in its processes and sub-processes. */
function llmSteps(compiled: CompiledRoutine): LlmStepShape[] {
  const found: LlmStepShape[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (record.kind === 'llm' && typeof record.prompt === 'string') {
      found.push({
        tools: Array.isArray(record.tools) ? record.tools : [],
        ...(typeof record.model === 'string' ? { model: record.model } : {}),
        ...(record.outputSchema === undefined ? {} : { outputSchema: record.outputSchema }),
      });
      return;
    }
    for (const child of Object.values(record)) visit(child);
  };
  visit(compiled);
  return found;
}
