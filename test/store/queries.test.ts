import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, openTestStore, type TestStore } from "../support/db.js";

const t0 = new Date("2026-11-17T17:00:00.123Z");

describe.each(backends)("Store.queries, the driver beside Prisma (%s)", (backend) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(backend);
  });
  afterAll(() => t.dispose());

  it("never runs inside a Prisma transaction that is open: it sees only what that transaction committed", async () => {
    // PGlite has one connection: a statement slipped into someone else's open transaction would see (and
    // commit or roll back with) its uncommitted writes. PostgreSQL's pool hands it another connection.
    let inside!: () => void;
    const opened = new Promise<void>((resolve) => {
      inside = resolve;
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = t.store.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO "InboundEvent" (id, "receivedAt") VALUES ('queries-test', $1::timestamptz)`,
        t0.toISOString(),
      );
      inside();
      await held;
      throw new Error("rolled back");
    });
    await opened;
    const seen = t.store.queries.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM "InboundEvent" WHERE id = 'queries-test'`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await expect(transaction).rejects.toThrow("rolled back");
    expect(await seen).toEqual([{ n: "0" }]);
  });

  it("reads back what Prisma's raw queries did: numbers, times, json, uuids", async () => {
    const [row] = await t.store.queries.query<Record<string, unknown>>(
      `SELECT 1::int AS i, $1::timestamptz AS at, '{"a":[1,"b"]}'::jsonb AS j,
              '6f1c2b8e-8d4c-4b8e-9a51-0d4c3b2a1f00'::uuid AS u, true AS b, NULL::text AS none`,
      [t0],
    );
    const [viaPrisma] = await t.store.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT 1::int AS i, $1::timestamptz AS at, '{"a":[1,"b"]}'::jsonb AS j,
              '6f1c2b8e-8d4c-4b8e-9a51-0d4c3b2a1f00'::uuid AS u, true AS b, NULL::text AS none`,
      t0,
    );
    expect(row).toEqual(viaPrisma);
    expect(row).toEqual({
      i: 1,
      at: t0,
      j: { a: [1, "b"] },
      u: "6f1c2b8e-8d4c-4b8e-9a51-0d4c3b2a1f00",
      b: true,
      none: null,
    });
  });
});
