import { describe, expect, it } from 'vitest';
import { decodeBpmnSource } from '../../../compiler/index.ts';
import { problemsOf } from './helpers.ts';

const declared = (encoding: string) => `<?xml version="1.0" encoding="${encoding}"?><a name="`;

function bytes(...parts: (string | number[])[]): Uint8Array {
  return Uint8Array.from(
    parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'latin1')] : part)),
  );
}

describe('decodeBpmnSource', () => {
  it('reads UTF-8 by default and when declared', () => {
    expect(decodeBpmnSource(new TextEncoder().encode('<a name="Größe"/>'))).toBe('<a name="Größe"/>');
    expect(decodeBpmnSource(new TextEncoder().encode(`${declared('utf-8')}€"/>`))).toBe(
      `${declared('utf-8')}€"/>`,
    );
  });

  it('decodes ISO-8859-1, latin1 and windows-1252 instead of rejecting them', () => {
    expect(decodeBpmnSource(bytes(declared('ISO-8859-1'), [0xe9, 0x80], '"/>'))).toBe(
      `${declared('ISO-8859-1')}é\u0080"/>`,
    );
    expect(decodeBpmnSource(bytes(declared('latin1'), [0xfc], '"/>'))).toBe(`${declared('latin1')}ü"/>`);
    expect(decodeBpmnSource(bytes(declared('windows-1252'), [0x80, 0x9c, 0x81, 0xe9], '"/>'))).toBe(
      `${declared('windows-1252')}€œ\u0081é"/>`,
    );
  });

  it('reads a declaration in single quotes', () => {
    expect(decodeBpmnSource(bytes("<?xml version='1.0' encoding='iso-8859-1'?><a n='", [0xe4], "'/>"))).toBe(
      "<?xml version='1.0' encoding='iso-8859-1'?><a n='ä'/>",
    );
  });

  it('drops a byte order mark, which wins over the declaration', () => {
    expect(decodeBpmnSource(bytes([0xef, 0xbb, 0xbf], '<a/>'))).toBe('<a/>');
    const utf16 = Uint8Array.from([0xff, 0xfe, ...Buffer.from(`${declared('ISO-8859-1')}ß"/>`, 'utf16le')]);
    expect(decodeBpmnSource(utf16)).toBe(`${declared('ISO-8859-1')}ß"/>`);
  });

  it('rejects an unknown encoding and bytes that are not valid in the encoding', async () => {
    expect(
      await problemsOf(Promise.resolve().then(() => decodeBpmnSource(bytes(declared('klingon'))))),
    ).toEqual([{ message: 'the XML declares encoding "klingon", which is not supported' }]);
    expect(
      await problemsOf(Promise.resolve().then(() => decodeBpmnSource(bytes('<a name="', [0xe9], '"/>')))),
    ).toEqual([{ message: 'the XML is not valid utf-8 text' }]);
  });
});
