const maxDistance = 2;
const maxSuggestions = 5;

/**
 * The candidates that look like `wanted`: one is a prefix of the other, or they are at most two
 * edits apart (case-insensitive). Closest first.
 */
export function similarIds(wanted: string, candidates: Iterable<string>): string[] {
  const target = wanted.toLowerCase();
  const scored: { id: string; distance: number }[] = [];
  for (const id of candidates) {
    const candidate = id.toLowerCase();
    const distance = editDistance(target, candidate);
    if (distance <= maxDistance || candidate.startsWith(target) || target.startsWith(candidate)) {
      scored.push({ id, distance });
    }
  }
  scored.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
  return scored.slice(0, maxSuggestions).map(({ id }) => id);
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** `; did you mean "a", "b"?` for suggestions from `similarIds`, or nothing when there are none. */
export function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length > 0 ? `; did you mean ${suggestions.map((id) => `"${id}"`).join(', ')}?` : '';
}
