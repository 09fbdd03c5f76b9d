import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkToolsFor,
  denormaliseArgs,
  keyForProviderName,
  normaliseTool,
  normaliseTools,
  type ProviderTarget,
  providerSchemaProblems,
  ToolSchemaError,
} from '../../../activities/models/tool-schemas/index.ts';
import type { JsonSchema } from '../../../schema/json.ts';
import { jsonSchemaProblems } from '../../../schema/json-schema.ts';
import type { McpToolDescriptor } from '../../../schema/tools.ts';

/** The normaliser's rules one at a time, on made-up tools. */

const openai: ProviderTarget = { provider: 'openai' };
const strict: ProviderTarget = { provider: 'openai', strict: true };
const anthropic: ProviderTarget = { provider: 'anthropic' };

const tool = (name: string, inputSchema: JsonSchema, server = 'srv'): McpToolDescriptor => ({
  server,
  name,
  description: `the ${name} tool`,
  inputSchema,
  risk: 'low',
});

describe('tool names', () => {
  const long = 'a_tool_whose_name_is_much_longer_than_sixty_four_characters_allow';
  const tools = [
    tool(`${long}_one`, { type: 'object' }),
    tool(`${long}_two`, { type: 'object' }),
    tool('short.name', { type: 'object' }),
  ];

  it('are the key when it fits, else shortened with a hash, unique, and mapped back', () => {
    const normalised = normaliseTools(tools, openai);
    const [one, two, short] = normalised;
    expect(short).toMatchObject({ key: 'srv__short_name', name: 'srv__short_name' });
    for (const entry of [one, two]) {
      expect(entry?.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(entry?.name).toHaveLength(64);
      expect(entry?.name).not.toBe(entry?.key);
      expect(keyForProviderName(normalised, entry?.name ?? '')).toBe(entry?.key);
    }
    expect(one?.name).not.toBe(two?.name);
    expect(one?.name.slice(0, 55)).toBe(two?.name.slice(0, 55));
    expect(normaliseTools(tools, anthropic).map((entry) => entry.name)).toEqual(
      normalised.map((entry) => entry.name),
    );
    expect(keyForProviderName(normalised, 'nope')).toBeUndefined();
  });

  it('refuse two tools that become the same key', () => {
    const clash = [tool('a.b', { type: 'object' }), tool('a_b', { type: 'object' })];
    const [error] = checkToolsFor(openai, clash);
    expect(error).toBeInstanceOf(ToolSchemaError);
    expect(error).toMatchObject({ tool: 'srv__a_b', keyword: 'name' });
    expect(() => normaliseTools(clash, openai)).toThrow(/both become "srv__a_b"/);
  });
});

describe('inexpressible schemas', () => {
  it.each([
    ['a top-level array', { type: 'array', items: { type: 'string' } }, 'type'],
    ['a top-level not', { type: 'object', not: { required: ['x'] } }, 'not'],
    ['a top-level enum', { enum: [1, 2] }, 'enum'],
    ['a union with a string variant', { anyOf: [{ type: 'string' }, { type: 'object' }] }, 'anyOf'],
    ['an allOf with a non-object part', { allOf: [{ type: 'object' }, { type: 'string' }] }, 'allOf'],
  ])('give a ToolSchemaError naming the tool and the keyword: %s', (_, schema, keyword) => {
    const bad = tool('bad', schema);
    for (const target of [openai, strict, anthropic]) {
      const errors = checkToolsFor(target, [tool('good', { type: 'object' }), bad]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ tool: 'srv__bad', keyword });
      expect(errors[0]?.message).toContain('tool "srv__bad"');
      expect(errors[0]?.message).toContain(`keyword "${keyword}"`);
      expect(() => normaliseTool(bad, target)).toThrow(ToolSchemaError);
    }
  });
});

describe('top-level unions', () => {
  const Shape = z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('circle'), radius: z.number(), label: z.string().optional() }),
    z.strictObject({ kind: z.literal('square'), side: z.number(), label: z.string().optional() }),
  ]);
  const shapes = tool('draw', z.toJSONSchema(Shape, { io: 'input' }) as JsonSchema);

  it('a discriminated union of closed objects is one strict object, and nulls go on the way back', () => {
    const normalised = normaliseTool(shapes, strict);
    expect(normalised.strict).toBe(true);
    expect(normalised.parameters).toMatchObject({
      type: 'object',
      required: ['kind', 'radius', 'label', 'side'],
      properties: { kind: { enum: ['circle', 'square'] }, radius: { type: ['number', 'null'] } },
    });
    expect(providerSchemaProblems(strict, normalised.parameters)).toEqual([]);
    const call = { kind: 'square', radius: null, label: null, side: 2 };
    expect(jsonSchemaProblems(normalised.parameters, call)).toEqual([]);
    const args = denormaliseArgs(normalised, call);
    expect(args).toEqual({ kind: 'square', side: 2 });
    expect(Shape.safeParse(args).success).toBe(true);
    // A property of another variant, filled anyway, is left out for the variant named.
    expect(denormaliseArgs(normalised, { kind: 'circle', radius: 1, side: 3, label: 'c' })).toEqual({
      kind: 'circle',
      radius: 1,
      label: 'c',
    });
  });

  it('a union without a discriminator is wrapped, one property per variant, and unwrapped', () => {
    const either = tool('either', {
      oneOf: [
        { title: 'by_id', type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        { title: 'by_name', type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      ],
    });
    for (const target of [openai, strict, anthropic]) {
      const normalised = normaliseTool(either, target);
      expect(Object.keys(normalised.parameters.properties as object)).toEqual(['by_id', 'by_name']);
      expect(providerSchemaProblems({ ...target, strict: normalised.strict }, normalised.parameters)).toEqual(
        [],
      );
      expect(normalised.description).toContain('Give exactly one of "by_id", "by_name".');
      expect(denormaliseArgs(normalised, { by_id: null, by_name: { name: 'x' } })).toEqual({ name: 'x' });
    }
    expect(normaliseTool(either, strict).strict).toBe(true);
  });

  it('a top-level allOf of objects is merged, a root $ref followed, a missing type added', () => {
    const merged = normaliseTool(
      tool('merged', {
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { $ref: '#/$defs/b' },
        ],
        $defs: { b: { type: 'object', properties: { b: { type: 'number' } } } },
      }),
      anthropic,
    );
    expect(merged.parameters).toMatchObject({
      type: 'object',
      properties: { a: {}, b: {} },
      required: ['a'],
    });
    expect(merged.parameters).not.toHaveProperty('allOf');
    const referenced = normaliseTool(
      tool('ref', { $ref: '#/$defs/args', $defs: { args: { properties: { x: { type: 'string' } } } } }),
      openai,
    );
    expect(referenced.parameters).toMatchObject({ type: 'object', properties: { x: { type: 'string' } } });
    expect(normaliseTool(tool('bare', {}), anthropic).parameters).toEqual({ type: 'object', properties: {} });
  });
});

describe('OpenAI strict mode', () => {
  it('applies only when the schema allows it; a record or an untyped value leaves the tool non-strict, noted', () => {
    const record = normaliseTool(
      tool('rec', {
        type: 'object',
        properties: { tags: { type: 'object', additionalProperties: { type: 'string' } } },
      }),
      strict,
    );
    expect(record.strict).toBe(false);
    expect(record.notes.join()).toMatch(/\.tags: an object with additionalProperties .* has no strict form/);
    expect(providerSchemaProblems(openai, record.parameters)).toEqual([]);
    const untyped = normaliseTool(
      tool('any', { type: 'object', properties: { v: { description: 'anything' } } }),
      strict,
    );
    expect(untyped).toMatchObject({ strict: false });
    expect(untyped.notes.join()).toMatch(/\.v: a value of any type/);
  });

  it('closes objects, requires every property, turns oneOf into anyOf and inlines a $ref with siblings', () => {
    const normalised = normaliseTool(
      tool('mixed', {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: {
          when: { type: 'string', format: 'date-time' },
          site: { type: 'string', format: 'uri', minLength: 3, default: 'https://x' },
          unit: { enum: ['C', 'F'] },
          size: { oneOf: [{ type: 'number' }, { type: 'string', const: 'auto' }] },
          point: { $ref: '#/$defs/point', description: 'where' },
          next: { $ref: '#/$defs/point' },
        },
        required: ['when', 'point'],
        $defs: { point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
      }),
      strict,
    );
    expect(normalised.strict).toBe(true);
    const { parameters } = normalised;
    expect(parameters).toMatchObject({
      required: ['when', 'site', 'unit', 'size', 'point', 'next'],
      additionalProperties: false,
      properties: {
        when: { type: 'string', format: 'date-time' },
        site: { type: ['string', 'null'], description: 'Default: "https://x".' },
        unit: { enum: ['C', 'F', null] },
        size: { anyOf: [{ type: 'number' }, { type: 'string', enum: ['auto'] }, { type: 'null' }] },
        point: { type: 'object', description: 'where', additionalProperties: false, required: ['x'] },
        next: { anyOf: [{ $ref: '#/$defs/point' }, { type: 'null' }] },
      },
      $defs: { point: { additionalProperties: false } },
    });
    expect(parameters).not.toHaveProperty('$schema');
    expect(normalised.notes.join()).toContain('strict mode dropped default, format uri, minLength');
    expect(providerSchemaProblems(strict, parameters)).toEqual([]);
    const args = denormaliseArgs(normalised, {
      when: 't',
      site: null,
      unit: null,
      size: 3,
      point: { x: 1 },
      next: null,
    });
    expect(args).toEqual({ when: 't', size: 3, point: { x: 1 } });
  });

  it('keeps the nulls a tool allows', () => {
    const normalised = normaliseTool(
      tool('nullable', {
        type: 'object',
        properties: { note: { type: ['string', 'null'] }, other: { type: 'string' } },
        required: ['note'],
      }),
      strict,
    );
    expect(denormaliseArgs(normalised, { note: null, other: null })).toEqual({ note: null });
  });

  it('is not asked of Anthropic: its tools go without strict, noted', () => {
    const normalised = normaliseTool(tool('t', { type: 'object', properties: {} }), {
      provider: 'anthropic',
      strict: true,
    });
    expect(normalised).toMatchObject({ strict: false, notes: [expect.stringMatching(/OpenAI only/)] });
  });
});

describe('the provider rules', () => {
  it('catch what the providers refuse', () => {
    expect(providerSchemaProblems(anthropic, { oneOf: [] })).toEqual([
      '(root): type must be "object", not undefined',
      '(root): "oneOf" is not allowed at the top level',
    ]);
    expect(providerSchemaProblems(openai, { type: 'object', properties: { a: { type: 'array' } } })).toEqual([
      '.a: array schema missing items',
    ]);
    expect(
      providerSchemaProblems(anthropic, { type: 'object', properties: { a: { type: 'array' } } }),
    ).toEqual([]);
    expect(
      providerSchemaProblems(strict, { type: 'object', properties: { a: { type: 'string', default: 'x' } } }),
    ).toEqual([
      '(root): additionalProperties must be false',
      '(root): property "a" must be listed in required',
      '.a: "default" is not permitted in strict mode',
    ]);
  });

  it('give an array without items `items: {}` for OpenAI, and never change the input schema', () => {
    const schema = { type: 'object', properties: { list: { type: 'array' } } };
    const before = structuredClone(schema);
    const normalised = normaliseTool(tool('list', schema), openai);
    expect(normalised.parameters).toEqual({
      type: 'object',
      properties: { list: { type: 'array', items: {} } },
    });
    expect(normaliseTool(tool('list', schema), anthropic).parameters).toEqual(schema);
    expect(normaliseTool(tool('list', schema), strict).strict).toBe(false);
    expect(schema).toEqual(before);
  });

  it('count the strict limits: more than 1000 enum values is non-strict', () => {
    const values = Array.from({ length: 1001 }, (_, i) => `v${i}`);
    const normalised = normaliseTool(
      tool('big', { type: 'object', properties: { v: { type: 'string', enum: values } }, required: ['v'] }),
      strict,
    );
    expect(normalised.strict).toBe(false);
    expect(normalised.notes.join()).toContain('1001 enum values exceed the limit of 1000');
  });
});
