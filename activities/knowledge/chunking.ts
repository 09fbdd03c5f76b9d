/**
 * Splits a document into chunks for embedding: paragraphs (blank-line separated) are packed
 * into chunks of at most `size` characters; a paragraph longer than that is cut at sentence or
 * word boundaries; each chunk after the first starts with the last `overlap` characters of the
 * one before (from a word boundary), so a passage cut in two is still found whole in one.
 */
export interface ChunkOptions {
  size: number;
  overlap: number;
}

export const defaultChunkOptions: ChunkOptions = { size: 1_200, overlap: 200 };

export function chunkText(text: string, options: ChunkOptions = defaultChunkOptions): string[] {
  const pieces = text
    .replaceAll('\r\n', '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .flatMap((paragraph) => splitLong(paragraph, options.size));
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current !== '' && current.length + 2 + piece.length > options.size) {
      chunks.push(current);
      current = `${tail(current, options.overlap)}${piece}`;
    } else {
      current = current === '' ? piece : `${current}\n\n${piece}`;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

/** A paragraph cut into pieces of at most `size`, at sentence ends, else spaces, else anywhere. */
function splitLong(paragraph: string, size: number): string[] {
  const pieces: string[] = [];
  let rest = paragraph;
  while (rest.length > size) {
    const window = rest.slice(0, size);
    const sentenceEnd = Math.max(
      window.lastIndexOf('. '),
      window.lastIndexOf('? '),
      window.lastIndexOf('! '),
    );
    const cut =
      sentenceEnd > size / 2
        ? sentenceEnd + 1
        : window.lastIndexOf(' ') > size / 2
          ? window.lastIndexOf(' ')
          : size;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}

/** The last `length` characters of a chunk, from a word boundary, followed by a space; empty for no overlap. */
function tail(chunk: string, length: number): string {
  if (length <= 0) return '';
  const end = chunk.slice(-length);
  const space = end.indexOf(' ');
  const fromWord = chunk.length > length && space >= 0 ? end.slice(space + 1) : end;
  return fromWord === '' ? '' : `${fromWord} … `;
}
