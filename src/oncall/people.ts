import type { Schedule } from "./model.js";

/** Everyone who may be put on call: rotation members and the extra `people` of the schedule. */
export function collectPeople(
  rotations: readonly { members: readonly string[] }[],
  people: readonly string[],
): Set<string> {
  return new Set([...rotations.flatMap((r) => r.members), ...people]);
}

export function knownPeople(schedule: Pick<Schedule, "layers" | "people">): Set<string> {
  return collectPeople(
    schedule.layers.map((l) => l.rotation),
    schedule.people,
  );
}
