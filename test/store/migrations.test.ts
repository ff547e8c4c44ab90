import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/db.js";
import { applyMigrations, readMigrations } from "../../src/store/migrate.js";
import { backends, createTestDatabase, openTestStore, type TestStore } from "../support/db.js";
import { actualSchema, expectedSchema } from "./schemaMatch.js";

describe.each(backends)("migrations on %s", (backend) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(backend, { migrate: false });
  });
  afterAll(() => t.dispose());

  it("applies every migration once and records it the way Prisma Migrate does", async () => {
    const first = await applyMigrations(t.store.sql);
    expect(first.applied).toEqual(readMigrations().map((m) => m.name));
    const again = await applyMigrations(t.store.sql);
    expect(again).toEqual({ applied: [], alreadyApplied: first.applied.length, modified: [] });

    const rows = await t.store.sql.query<{
      migration_name: string;
      checksum: string;
      applied_steps_count: number;
    }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      readMigrations().map((m) => [m.name, m.checksum, 1]),
    );
  });

  it("leaves a database that matches schema.prisma: columns, types, nullability, defaults, indexes, keys", async () => {
    const expected = expectedSchema();
    const actual = await actualSchema(
      t.store.sql,
      expected.tables.map((table) => table.table),
    );
    expect(actual).toEqual(expected);
    const tables = await t.store.sql.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
    );
    expect(tables.map((r) => r.tablename).sort()).toEqual(expected.tables.map((table) => table.table).sort());
  });

  it("rolls back a failing migration whole and records nothing for it", async () => {
    const broken = {
      name: "29990101000000_broken",
      sql: `CREATE TABLE "Half" (id int); SELECT nope;`,
      checksum: "x",
    };
    await expect(applyMigrations(t.store.sql, [...readMigrations(), broken])).rejects.toThrow(
      /29990101000000_broken failed/,
    );
    const half = await t.store.sql.query(`SELECT 1 FROM pg_tables WHERE tablename = 'Half'`);
    expect(half).toHaveLength(0);
    const recorded = await t.store.sql.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1`, [
      broken.name,
    ]);
    expect(recorded).toHaveLength(0);
  });
});

describe("two replicas starting at once against one PostgreSQL", () => {
  it("apply each migration exactly once", async () => {
    const db = await createTestDatabase();
    const [a, b] = await Promise.all([
      openStore({ kind: "postgres", url: db.url }),
      openStore({ kind: "postgres", url: db.url }),
    ]);
    try {
      const [ra, rb] = await Promise.all([applyMigrations(a.sql), applyMigrations(b.sql)]);
      const count = readMigrations().length;
      expect(ra.applied.length + rb.applied.length).toBe(count);
      expect(ra.alreadyApplied + rb.alreadyApplied).toBe(count);
      const rows = await a.sql.query(`SELECT migration_name FROM "_prisma_migrations"`);
      expect(rows).toHaveLength(count);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await db.drop();
    }
  });
});
