import type { Agent } from '../../schema/agent.ts';
import type { JsonSchema } from '../../schema/json.ts';
import type { KnowledgeEntry } from '../store/knowledge-store.ts';
import type { RoutineInterface } from '../store/routine-store.ts';

/** What a routine is known by: id, name, description, and its input and output fields with their descriptions. */
export function routineKnowledge(routine: RoutineInterface): KnowledgeEntry {
  const lines = [
    `${words(routine.id)}. ${routine.name}.`,
    routine.description ?? '',
    fieldsLine('Input', routine.inputSchema),
    fieldsLine('Output', routine.outputSchema),
  ].filter((line) => line !== '');
  return {
    kind: 'routine',
    sourceId: routine.id,
    chunk: 0,
    title: routine.name,
    content: lines.join('\n'),
    metadata: { routineId: routine.id },
  };
}

/** What an agent is known by: id, role, description and skills. */
export function agentKnowledge(agent: Agent): KnowledgeEntry {
  const lines = [
    `${words(agent.id)}, ${agent.role}.`,
    agent.description,
    agent.skills.length > 0 ? `Skills: ${agent.skills.join(', ')}.` : '',
  ].filter((line) => line !== '');
  return {
    kind: 'agent',
    sourceId: agent.id,
    chunk: 0,
    title: agent.id,
    content: lines.join('\n'),
    metadata: { agentId: agent.id, role: agent.role },
  };
}

function fieldsLine(label: string, schema: JsonSchema | null): string {
  const given = schema?.properties;
  const properties =
    typeof given === 'object' && given !== null && !Array.isArray(given)
      ? (given as Record<string, unknown>)
      : {};
  const required = Array.isArray(schema?.required)
    ? schema.required.filter((name) => typeof name === 'string')
    : [];
  const names = [...new Set([...Object.keys(properties), ...required])];
  const fields = names.map((name) => {
    const property = properties[name];
    const description =
      typeof property === 'object' && property !== null && 'description' in property
        ? String((property as { description: unknown }).description)
        : '';
    return description === '' ? words(name) : `${words(name)} (${description})`;
  });
  return fields.length === 0 ? '' : `${label}: ${fields.join('; ')}.`;
}

/** An identifier as words: "collect-invoices" and "customerEmail" become "collect invoices", "customer email". */
function words(identifier: string): string {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_./:]+/g, ' ')
    .trim();
}
