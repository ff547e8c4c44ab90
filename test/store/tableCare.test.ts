import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { careFor } from "../../src/store/tableCare.js";
import { openTestStore, type TestStore } from "../support/db.js";

/** Rows of the outbox that change state twice: 2 dead versions each, as sends leave them. */
let batch = 0;
async function churn(t: TestStore, rows: number): Promise<void> {
  const prefix = `churn-${++batch}-`;
  await t.store.sql.exec(`
    INSERT INTO "Notification" (key, kind, target, payload, "availableAt", "createdAt")
      SELECT '${prefix}' || g, 'page', '{}'::jsonb, '{}'::jsonb, now(), now() FROM generate_series(1, ${rows}) g;
    UPDATE "Notification" SET state = 'sending' WHERE key LIKE '${prefix}%';
    UPDATE "Notification" SET state = 'sent' WHERE key LIKE '${prefix}%';`);
}

const deadRows = async (t: TestStore) =>
  Number(
    (
      await t.store.sql.query<{ n: string }>(
        `SELECT n_dead_tup::text AS n FROM pg_stat_user_tables WHERE relname = 'Notification'`,
      )
    )[0]?.n ?? 0,
  );

describe("busy tables vacuumed when they need it (PostgreSQL)", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore("postgres");
  });
  afterAll(() => t.dispose());

  it("leaves a table alone until its dead rows pass the mark, then vacuums it, once", async () => {
    await churn(t, 100);
    expect(await careFor(t.store.sql, false)).toEqual([]);
    await churn(t, 3_000);
    // The server counts dead rows when the writing connection reports them (within about a second).
    for (let i = 0; i < 300 && (await deadRows(t)) < 2_000; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await deadRows(t)).toBeGreaterThanOrEqual(2_000);
    expect(await careFor(t.store.sql, false)).toEqual(["Notification"]);
    expect(await deadRows(t)).toBe(0);
    expect(await careFor(t.store.sql, false)).toEqual([]);
  });

  it("skips while another replica is vacuuming (holds the lock)", async () => {
    await t.store.sql.exec(`DELETE FROM "Notification"`);
    await churn(t, 3_000);
    for (let i = 0; i < 300 && (await deadRows(t)) < 2_000; i++) await new Promise((r) => setTimeout(r, 50));
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock($1)", [0x45534331]);
      expect(await careFor(t.store.sql, false)).toEqual([]);
      await other.query("SELECT pg_advisory_unlock($1)", [0x45534331]);
      expect(await careFor(t.store.sql, false)).toEqual(["Notification"]);
    } finally {
      await other.end();
    }
  });
});

describe("busy tables vacuumed on the embedded database", () => {
  it("vacuums each of them every time (it keeps no dead-row counts and has no autovacuum)", async () => {
    const t = await openTestStore("pglite");
    try {
      await churn(t, 200);
      expect(await careFor(t.store.sql, true)).toEqual(["Notification", "PendingCommand", "Ticket"]);
      expect(await t.store.prisma.notification.count()).toBe(200);
    } finally {
      await t.dispose();
    }
  });
});
