import { Buffer } from 'node:buffer';
import { RoutineCompileError } from './errors.ts';

const BOMS: readonly { bytes: readonly number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

const DECLARED_ENCODING = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([A-Za-z][\w.:-]*)\1/;

// Decoded here rather than by TextDecoder, whose WHATWG labels treat ISO-8859-1 as
// windows-1252 and whose Node implementation has decoded windows-1252 as ISO-8859-1.
const ISO_8859_1 = new Set(['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'l1']);
const WINDOWS_1252 = new Set(['windows-1252', 'cp1252', 'x-cp1252']);
/** windows-1252 bytes 0x80-0x9F; the five it leaves undefined keep their code point, as in WHATWG. */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/**
 * Decodes a BPMN file's bytes: a byte order mark wins, then the encoding in the XML
 * declaration, then UTF-8. The text keeps its declaration; the compiler ignores the
 * declared encoding of text it is given.
 */
export function decodeBpmnSource(bytes: Uint8Array): string {
  const encoding = bomEncoding(bytes) ?? declaredEncoding(bytes) ?? 'utf-8';
  const label = encoding.toLowerCase();
  if (ISO_8859_1.has(label)) return latin1(bytes);
  if (WINDOWS_1252.has(label)) {
    return latin1(bytes).replace(/[\x80-\x9f]/g, (char) =>
      WINDOWS_1252_HIGH.charAt(char.charCodeAt(0) - 0x80),
    );
  }
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch (error) {
    throw new RoutineCompileError([
      {
        message:
          error instanceof RangeError
            ? `the XML declares encoding "${encoding}", which is not supported`
            : `the XML is not valid ${encoding} text`,
      },
    ]);
  }
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function bomEncoding(bytes: Uint8Array): string | undefined {
  return BOMS.find((bom) => bom.bytes.every((byte, index) => bytes[index] === byte))?.encoding;
}

function declaredEncoding(bytes: Uint8Array): string | undefined {
  // Without a BOM, the declaration is ASCII in every encoding this reads.
  const prolog = String.fromCharCode(...bytes.subarray(0, 256));
  return DECLARED_ENCODING.exec(prolog)?.[2];
}
