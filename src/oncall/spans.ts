import type { DateTime } from "luxon";
import type { Span } from "./model.js";

/** Set operations on half-open spans [start, end). Inputs and outputs are sorted and disjoint. */

const ms = (t: DateTime): number => t.toMillis();
const earlier = (a: DateTime, b: DateTime): DateTime => (ms(a) <= ms(b) ? a : b);
const later = (a: DateTime, b: DateTime): DateTime => (ms(a) >= ms(b) ? a : b);

export function isEmptySpan(span: Span): boolean {
  return ms(span.end) <= ms(span.start);
}

export function clipSpan(span: Span, from: DateTime, to: DateTime): Span | null {
  const clipped = { start: later(span.start, from), end: earlier(span.end, to) };
  return isEmptySpan(clipped) ? null : clipped;
}

/** Sorts and merges overlapping or touching spans. */
export function unionSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => !isEmptySpan(s)).sort((a, b) => ms(a.start) - ms(b.start));
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && ms(span.start) <= ms(last.end)) {
      last.end = later(last.end, span.end);
    } else {
      merged.push({ start: span.start, end: span.end });
    }
  }
  return merged;
}

/** The parts of each span in `a` that lie inside `b`; pieces keep the payload of their `a` span. */
export function intersectSpans<T extends Span>(a: readonly T[], b: readonly Span[]): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const piece = { ...x, start: later(x.start, y.start), end: earlier(x.end, y.end) };
    if (!isEmptySpan(piece)) out.push(piece);
    if (ms(x.end) <= ms(y.end)) i++;
    else j++;
  }
  return out;
}

/** The parts of [from, to) not covered by `spans`. */
export function complementSpans(spans: readonly Span[], from: DateTime, to: DateTime): Span[] {
  const out: Span[] = [];
  let cursor = from;
  for (const span of unionSpans(spans)) {
    if (ms(span.start) > ms(cursor)) out.push({ start: cursor, end: earlier(span.start, to) });
    cursor = later(cursor, span.end);
    if (ms(cursor) >= ms(to)) break;
  }
  if (ms(cursor) < ms(to)) out.push({ start: cursor, end: to });
  return out.filter((s) => !isEmptySpan(s));
}
