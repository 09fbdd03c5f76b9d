/** Words of a text for lexical matching: lowercase, without stop words, lightly stemmed. */

const stopWords = new Set(
  (
    'a an and are as at be by can do for from has have how i in into is it its me my of on or our so ' +
    'that the their then them there these this those to up us we what when which who will with you your'
  ).split(' '),
);

/** Lowercase words without stop words, each lightly stemmed so "collects", "collected" and "collect" meet. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1 && !stopWords.has(word))
    .map(stem);
}

/** Strips plural and verb endings and a final "e"; both sides of a comparison go through it, so it need only be consistent. */
export function stem(word: string): string {
  let base = word;
  if (base.endsWith('ies') && base.length > 4) base = `${base.slice(0, -3)}y`;
  else if (/(ss|x|z|ch|sh)es$/.test(base)) base = base.slice(0, -2);
  else if (base.endsWith('s') && !base.endsWith('ss') && base.length > 3) base = base.slice(0, -1);
  const verbEnding = /(ing|ed)$/.exec(base)?.[0];
  if (verbEnding && base.length - verbEnding.length >= 3) {
    base = base.slice(0, -verbEnding.length);
    if (/([^aeiouls])\1$/.test(base)) base = base.slice(0, -1);
  }
  if (base.endsWith('e') && base.length > 3) base = base.slice(0, -1);
  return base;
}
