import { distance } from "fastest-levenshtein";

/**
 * The known name closest to a mistyped one, for "did you mean …": undefined when nothing is near
 * (more than a third of the name differs), so a suggestion is never a wild guess.
 */
export function closest(typed: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const d = distance(typed.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(typed.length / 3)) ? best : undefined;
}

/** " (did you mean X?)" or nothing. */
export function didYouMean(typed: string, known: Iterable<string>): string {
  const guess = closest(typed, known);
  return guess ? ` (did you mean ${guess}?)` : "";
}
