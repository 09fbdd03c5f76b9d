import { fileURLToPath } from 'node:url';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { createChatModel } from '../../../activities/models/create-chat-model.ts';
import { readScriptFile } from '../../../activities/models/script-file.ts';
import { ScriptedChatModel } from '../../../activities/models/scripted-chat-model.ts';
import { ConfigurationError } from '../../../activities/resilience/errors.ts';
import { ValidationError } from '../../../schema/validation.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/scripted/${name}`, import.meta.url));

const sumTool = {
  type: 'function' as const,
  function: { name: 'calc__sum', description: 'adds', parameters: { type: 'object', properties: {} } },
};

describe('the scripted model', () => {
  it('answers text turns in order, by the number of assistant replies so far', async () => {
    const model = new ScriptedChatModel({ turns: [{ text: 'first' }, { text: 'second' }] });
    const first = await model.invoke([new HumanMessage('hi')]);
    const second = await model.invoke([
      new HumanMessage('hi'),
      new AIMessage('first'),
      new HumanMessage('more'),
    ]);
    expect([first.text, second.text]).toEqual(['first', 'second']);
  });

  it('answers the same conversation the same way on any instance (a restarted worker, a retry)', async () => {
    const turns = [{ text: 'one' }, { text: 'two' }];
    const conversation = [new HumanMessage('hi'), new AIMessage('one'), new HumanMessage('again')];
    const replies = await Promise.all([
      new ScriptedChatModel({ turns }).invoke(conversation),
      new ScriptedChatModel({ turns }).invoke(conversation),
    ]);
    expect(replies.map((reply) => reply.text)).toEqual(['two', 'two']);
  });

  it('sends a structured object as its JSON text', async () => {
    const model = new ScriptedChatModel({ turns: [{ object: { sum: 5, items: [1, 2] } }] });
    const reply = await model.invoke([new HumanMessage('sum')]);
    expect(JSON.parse(reply.text)).toEqual({ sum: 5, items: [1, 2] });
  });

  it('lets a matching turn answer first, case-insensitively, on the last user or tool message', async () => {
    const model = new ScriptedChatModel({
      turns: [{ match: 'weather in (paris|rome)', text: 'sunny' }, { text: 'default' }],
    });
    const matched = await model.invoke([
      new SystemMessage('be brief'),
      new HumanMessage('Weather in PARIS?'),
    ]);
    const unmatched = await model.invoke([new HumanMessage('Weather in Oslo?')]);
    const afterTool = await model.invoke([
      new HumanMessage('go'),
      new AIMessage({ content: '', tool_calls: [{ id: 'c1', name: 'calc__sum', args: {} }] }),
      new ToolMessage({ content: 'weather in rome: 30C', tool_call_id: 'c1' }),
    ]);
    expect([matched.text, unmatched.text, afterTool.text]).toEqual(['sunny', 'default', 'sunny']);
  });

  it('returns tool calls on the AIMessage when tools are bound', async () => {
    const model = new ScriptedChatModel({
      turns: [{ text: 'adding', toolCalls: [{ name: 'calc__sum', args: { a: 2, b: 3 } }] }],
    });
    const reply = await model.bindTools([sumTool]).invoke([new HumanMessage('2+3?')]);
    expect(reply.text).toBe('adding');
    expect(reply.tool_calls).toEqual([
      { id: 'call_1_1', name: 'calc__sum', args: { a: 2, b: 3 }, type: 'tool_call' },
    ]);
  });

  it('refuses to call a tool that is not bound, as a real model could not', async () => {
    const model = new ScriptedChatModel({ turns: [{ toolCalls: [{ name: 'calc__sum' }] }] });
    await expect(model.invoke([new HumanMessage('x')])).rejects.toThrow(
      /calls tool "calc__sum", which is not bound \(bound: none\)/,
    );
    await expect(
      model
        .bindTools([{ ...sumTool, function: { ...sumTool.function, name: 'other' } }])
        .invoke([new HumanMessage('x')]),
    ).rejects.toThrow(/bound: other/);
  });

  it('reports usage_metadata estimated at four characters a token, tools included', async () => {
    const model = new ScriptedChatModel({ turns: [{ text: 'abcdefgh' }] });
    const plain = await model.invoke([new HumanMessage('x'.repeat(40))]);
    const withTools = await model.bindTools([sumTool]).invoke([new HumanMessage('x'.repeat(40))]);
    expect(plain.usage_metadata).toMatchObject({ output_tokens: 2 });
    expect(plain.usage_metadata?.input_tokens).toBeGreaterThanOrEqual(10);
    expect(plain.usage_metadata?.total_tokens).toBe(
      (plain.usage_metadata?.input_tokens ?? 0) + (plain.usage_metadata?.output_tokens ?? 0),
    );
    expect(withTools.usage_metadata?.input_tokens).toBeGreaterThan(plain.usage_metadata?.input_tokens ?? 0);
  });

  it('says clearly when the script has no reply left', async () => {
    const model = new ScriptedChatModel({ turns: [{ match: 'hello', text: 'hi' }, { text: 'only' }] });
    const conversation = [new HumanMessage('a'), new AIMessage('only'), new HumanMessage('what now')];
    const failure = model.invoke(conversation);
    await expect(failure).rejects.toBeInstanceOf(ConfigurationError);
    await expect(model.invoke(conversation)).rejects.toThrow(
      'the script has no reply 2: no turn matches "what now" and its 1 unmatched turns are used up',
    );
  });

  it('validates its turns, naming the field', () => {
    expect(() => new ScriptedChatModel({ turns: [{ text: 'a', object: { b: 1 } }] })).toThrow(
      /0\.object: "object" is the whole reply/,
    );
    expect(() => new ScriptedChatModel({ turns: [] })).toThrow(ValidationError);
  });
});

describe('script files', () => {
  it('load through the model factory', async () => {
    const model = createChatModel(
      { provider: 'scripted', script: fixture('greeting.json') },
      { name: 'demo', env: {} },
    );
    expect(model).toBeInstanceOf(ScriptedChatModel);
    expect((await model.invoke([new HumanMessage('Translate this to French')])).text).toBe('Bonjour !');
    expect((await model.invoke([new HumanMessage('Say hello')])).text).toBe('Hello there!');
  });

  it('name the file and every bad field', () => {
    const error = captureError(() => readScriptFile(fixture('broken.json')));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      'turns.1.match: is not a valid regular expression',
      'turns.2.text: a turn needs "text", "object" or "toolCalls"',
    ]);
    expect(error.message).toContain('broken.json');
  });

  it('that are missing say which', () => {
    expect(() => readScriptFile('/nonexistent/script.json')).toThrow(
      /cannot read \/nonexistent\/script\.json/,
    );
  });
});

function captureError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
