import { DateTime } from "luxon";
import { zoneNamed } from "../zone.js";
import type { DecidedBy, OnCallContext, OnCallSegment, OnCallTarget, Schedule } from "./model.js";
import { allowedSpans } from "./restrictions.js";
import { rotationShifts } from "./rotation.js";
import { clipSpan, intersectSpans } from "./spans.js";

/**
 * The final schedule: layers and overrides flattened into one timeline where exactly one target (or
 * nobody) is on call at each instant, as in PagerDuty's "Final Schedule". Precedence: overrides over
 * layers, a later override over an earlier one, a later layer over an earlier one; where none has
 * anyone, the schedule's fallback.
 */

interface Claim {
  startMs: number;
  endMs: number;
  rank: number;
  target: OnCallTarget;
  decidedBy: DecidedBy;
}

function layerClaims(schedule: Schedule, from: DateTime, to: DateTime, ctx: OnCallContext): Claim[] {
  return schedule.layers.flatMap((layer, rank) => {
    const allowed = allowedSpans(layer.only, schedule.zone, from, to, ctx, schedule);
    const shifts = rotationShifts(layer.rotation, from, to);
    return intersectSpans(shifts, allowed).map((piece) => ({
      startMs: piece.start.toMillis(),
      endMs: piece.end.toMillis(),
      rank,
      target: { kind: "person" as const, person: piece.person },
      decidedBy: { kind: "layer" as const, layer: layer.name },
    }));
  });
}

function overrideClaims(schedule: Schedule, from: DateTime, to: DateTime): Claim[] {
  const claims: Claim[] = [];
  schedule.overrides.forEach((override, index) => {
    const piece = clipSpan(override, from, to);
    if (!piece) return;
    claims.push({
      startMs: piece.start.toMillis(),
      endMs: piece.end.toMillis(),
      rank: schedule.layers.length + index,
      target: { kind: "person", person: override.person },
      decidedBy: { kind: "override", overrideId: override.id },
    });
  });
  return claims;
}

function boundaries(claims: readonly Claim[], fromMs: number, toMs: number): number[] {
  const all = new Set<number>([fromMs, toMs]);
  for (const c of claims) {
    all.add(c.startMs);
    all.add(c.endMs);
  }
  return [...all].filter((b) => b >= fromMs && b <= toMs).sort((a, b) => a - b);
}

/** A sweep over the boundaries; at most a handful of claims are active at once. */
function winners(claims: Claim[], bounds: readonly number[]): (Claim | null)[] {
  const byStart = [...claims].sort((a, b) => a.startMs - b.startMs);
  let next = 0;
  let active: Claim[] = [];
  const result: (Claim | null)[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const at = bounds[i]!;
    active = active.filter((c) => c.endMs > at);
    while (next < byStart.length && byStart[next]!.startMs <= at) {
      const claim = byStart[next++]!;
      if (claim.endMs > at) active.push(claim);
    }
    result.push(active.reduce<Claim | null>((best, c) => (!best || c.rank > best.rank ? c : best), null));
  }
  return result;
}

export function sameTarget(a: OnCallTarget | null, b: OnCallTarget | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameSegmentSource(a: OnCallSegment, b: OnCallSegment): boolean {
  return sameTarget(a.target, b.target) && JSON.stringify(a.decidedBy) === JSON.stringify(b.decidedBy);
}

function uncovered(schedule: Schedule): Pick<OnCallSegment, "target" | "decidedBy"> {
  return schedule.fallback
    ? { target: schedule.fallback, decidedBy: { kind: "fallback" } }
    : { target: null, decidedBy: { kind: "nobody" } };
}

/** The flattened timeline over [from, to): contiguous segments, in the schedule's zone. */
export function shifts(
  schedule: Schedule,
  from: DateTime,
  to: DateTime,
  ctx: OnCallContext = {},
): OnCallSegment[] {
  if (to.toMillis() <= from.toMillis()) return [];
  const claims = [...layerClaims(schedule, from, to, ctx), ...overrideClaims(schedule, from, to)];
  const bounds = boundaries(claims, from.toMillis(), to.toMillis());
  const segments: OnCallSegment[] = [];
  const zone = zoneNamed(schedule.zone);
  winners(claims, bounds).forEach((winner, i) => {
    const segment: OnCallSegment = {
      start: DateTime.fromMillis(bounds[i]!, { zone }),
      end: DateTime.fromMillis(bounds[i + 1]!, { zone }),
      ...(winner ? { target: winner.target, decidedBy: winner.decidedBy } : uncovered(schedule)),
    };
    const last = segments[segments.length - 1];
    if (last && sameSegmentSource(last, segment)) last.end = segment.end;
    else segments.push(segment);
  });
  return segments;
}
