import { describe, expect, it } from 'vitest';
import {
  checkToolsFor,
  denormaliseArgs,
  keyForProviderName,
  normaliseTools,
  type ProviderTarget,
  providerSchemaProblems,
} from '../../../activities/models/tool-schemas/index.ts';
import { jsonSchemaProblems } from '../../../schema/json-schema.ts';
import { SWARM_TOOLS, type SwarmToolName } from '../../../schema/swarm-tools.ts';
import { toolKey } from '../../../schema/tools.ts';
import { swarmToolsFor } from '../../../workflows/swarm/tool-descriptors.ts';

/** The swarm tools, normalised for every provider target, against the providers' rules and back through zod. */

const TARGETS: ProviderTarget[] = [
  { provider: 'openai', strict: true },
  { provider: 'openai' },
  { provider: 'anthropic' },
];
const label = (target: ProviderTarget) => `${target.provider}${target.strict ? ' strict' : ''}`;
const leaderTools = swarmToolsFor('leader', { improvement: true });

describe.each(TARGETS.map((target) => [label(target), target] as const))(
  'the swarm tools for %s',
  (_, target) => {
    const tools = normaliseTools(leaderTools, target);

    it('pass every provider rule, as sent (strict where it was applied)', () => {
      expect(tools.map((tool) => tool.key)).toEqual(leaderTools.map(toolKey));
      for (const tool of tools) {
        expect(providerSchemaProblems({ ...target, strict: tool.strict }, tool.parameters), tool.key).toEqual(
          [],
        );
        expect(tool.name).toBe(tool.key);
        expect(keyForProviderName(tools, tool.name)).toBe(tool.key);
      }
      expect(checkToolsFor(target, leaderTools)).toEqual([]);
    });

    it('send resource_manage as one object told apart by action and kind', () => {
      const tool = tools.find((entry) => entry.key === 'swarm__resource_manage');
      expect(tool?.parameters).toMatchObject({
        type: 'object',
        properties: {
          action: { enum: ['find', 'add', 'update', 'delete'] },
          kind: { enum: ['routine', 'agent'] },
        },
      });
      expect(tool?.parameters).not.toHaveProperty('oneOf');
      expect(tool?.description).toContain('{action: "add", kind: "routine", routine}');
    });

    it.each([
      ['find', { action: 'find', kind: 'routine', query: 'sales' }],
      ['find without a query', { action: 'find', kind: 'agent' }],
      ['add an agent', { action: 'add', kind: 'agent', agent: { id: 'helper', role: 'helper' } }],
      [
        'update an agent',
        { action: 'update', kind: 'agent', agent: { id: 'helper', role: 'helper', skills: ['x'] } },
      ],
      ['add a routine', { action: 'add', kind: 'routine', routine: { id: 'r', name: 'R' } }],
      ['delete', { action: 'delete', kind: 'routine', id: 'r' }],
    ])("round-trips resource_manage's %s through a model-style call", (_, input) => {
      const tool = tools.find((entry) => entry.key === 'swarm__resource_manage');
      if (!tool) throw new Error('no resource_manage');
      const call = modelStyleCall(tool.parameters, input, tool.strict);
      expect(jsonSchemaProblems(tool.parameters, call)).toEqual([]);
      const args = denormaliseArgs(tool, call);
      expect(SWARM_TOOLS.resource_manage.input.safeParse(args)).toMatchObject({ success: true });
      expect(args).toEqual(input);
    });

    it('round-trips every other swarm tool with its optional properties left out', () => {
      const inputs: Partial<Record<SwarmToolName, Record<string, unknown>>> = {
        update_swarm_shared_state: { goal: 'g', blackboard: { set: { a: 1 } } },
        run_routine: { routineId: 'r' },
        spawn_swarm: { goal: 'g', team: [{ id: 'a', role: 'leader' }], budget: { maxCredits: 3 } },
        send_message: { to: 'user', text: 'hi' },
        end_swarm: { result: { done: true } },
      };
      for (const [name, input] of Object.entries(inputs)) {
        const tool = tools.find((entry) => entry.key === `swarm__${name}`);
        if (!tool) throw new Error(`no ${name}`);
        const call = modelStyleCall(tool.parameters, input, tool.strict);
        expect(jsonSchemaProblems(tool.parameters, call), name).toEqual([]);
        const args = denormaliseArgs(tool, call);
        expect(args, name).toEqual(input);
        expect(SWARM_TOOLS[name as SwarmToolName].input.safeParse(args).success, name).toBe(true);
      }
    });
  },
);

describe('the swarm tools in OpenAI strict mode', () => {
  const tools = normaliseTools(leaderTools, { provider: 'openai', strict: true });

  it('are strict where every object is closed, and say why the others are not', () => {
    const strict = Object.fromEntries(tools.map((tool) => [tool.key, tool.strict]));
    expect(strict).toEqual({
      swarm__update_swarm_shared_state: false,
      swarm__run_routine: false,
      swarm__spawn_swarm: true,
      swarm__send_message: true,
      swarm__resource_manage: false,
      swarm__knowledge_search: true,
      swarm__improve_routine: true,
      swarm__end_swarm: false,
    });
    const runRoutine = tools.find((tool) => tool.key === 'swarm__run_routine');
    expect(runRoutine?.notes.join('\n')).toMatch(/sent with strict: false: \.input: .*free-form record/);
  });

  it('make optional properties nullable and keep their defaults in the description', () => {
    const spawn = tools.find((tool) => tool.key === 'swarm__spawn_swarm');
    expect(spawn?.parameters).toMatchObject({
      required: ['goal', 'subtaskId', 'team', 'budget'],
      additionalProperties: false,
      properties: {
        goal: { type: 'string' },
        subtaskId: { type: ['string', 'null'] },
        budget: { type: ['object', 'null'], description: expect.stringContaining('(Default: {}.)') },
      },
    });
    expect(JSON.stringify(spawn?.parameters)).not.toMatch(/"default"|"minLength"/);
  });
});

/**
 * The arguments a model sends for `input` under `parameters`: what strict mode makes it send, so
 * every declared property, null for the ones left out (recursively), and nothing else.
 */
function modelStyleCall(
  parameters: Record<string, unknown>,
  input: unknown,
  strict: boolean,
): Record<string, unknown> {
  return (strict ? fillNulls(parameters, parameters, input) : input) as Record<string, unknown>;
}

function fillNulls(root: Record<string, unknown>, schema: unknown, value: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return value;
  let node = schema as Record<string, unknown>;
  if (typeof node.$ref === 'string') {
    node = (root.$defs as Record<string, Record<string, unknown>>)[node.$ref.replace('#/$defs/', '')] ?? {};
  }
  const properties = node.properties as Record<string, unknown> | undefined;
  if (Array.isArray(value)) return value.map((item) => fillNulls(root, node.items, item));
  if (typeof value !== 'object' || value === null || !properties) return value;
  const given = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(properties).map(([name, declared]) => [
      name,
      name in given ? fillNulls(root, declared, given[name]) : null,
    ]),
  );
}
