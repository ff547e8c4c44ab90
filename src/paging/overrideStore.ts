import { DateTime } from "luxon";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Override } from "../oncall/index.js";

/**
 * Every database operation of the on-call layer, one function each. Covers added from chat live in
 * `OncallOverride`; covers written in the YAML files stay in the files.
 */

/** A cover as stored: `id` is the row id as text, so it never collides with a YAML cover's id. */
export interface StoredOverride extends Override {
  scheduleId: string;
  createdBy: string;
}

export interface ScheduleRow {
  id: string;
  name: string;
  zone: string;
  /** The YAML document as plain data, kept for operators reading the database. */
  definition: unknown;
}

/** The override's foreign key needs the schedule's row; the YAML file is its source of truth. */
export async function upsertSchedule(prisma: PrismaClient, row: ScheduleRow): Promise<void> {
  const data = { name: row.name, zone: row.zone, definition: row.definition as never };
  await prisma.oncallSchedule.upsert({
    where: { id: row.id },
    create: { id: row.id, ...data },
    update: data,
  });
}

export async function listOverrides(prisma: PrismaClient): Promise<StoredOverride[]> {
  const rows = await prisma.oncallOverride.findMany({ orderBy: { id: "asc" } });
  return rows.map((row) => ({
    id: String(row.id),
    scheduleId: row.scheduleId,
    person: row.userId,
    start: DateTime.fromJSDate(row.startsAt, { zone: "utc" }),
    end: DateTime.fromJSDate(row.endsAt, { zone: "utc" }),
    createdBy: row.createdBy,
  }));
}

export async function insertOverride(
  prisma: PrismaClient,
  cover: { scheduleId: string; person: string; start: DateTime; end: DateTime; createdBy: string },
): Promise<StoredOverride> {
  const row = await prisma.oncallOverride.create({
    data: {
      scheduleId: cover.scheduleId,
      userId: cover.person,
      startsAt: cover.start.toJSDate(),
      endsAt: cover.end.toJSDate(),
      createdBy: cover.createdBy,
    },
  });
  return { ...cover, id: String(row.id) };
}

/** A cover that has not started disappears. */
export async function deleteOverride(prisma: PrismaClient, id: string): Promise<void> {
  await prisma.oncallOverride.deleteMany({ where: { id: Number(id) } });
}

/** A cover in progress ends early; the part already served stays on record. */
export async function endOverride(prisma: PrismaClient, id: string, at: DateTime): Promise<void> {
  await prisma.oncallOverride.updateMany({ where: { id: Number(id) }, data: { endsAt: at.toJSDate() } });
}

export async function readSetting(prisma: PrismaClient, key: string): Promise<string | null> {
  const row = await prisma.setting.findUnique({ where: { key } });
  return row?.value ?? null;
}

/** Stores `value` unless the key already has one; returns the value that won (replicas may race). */
export async function settleSetting(prisma: PrismaClient, key: string, value: string): Promise<string> {
  await prisma.setting.createMany({ data: [{ key, value }], skipDuplicates: true });
  return (await readSetting(prisma, key)) ?? value;
}
