import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlDriver } from "./db.js";

export const migrationsDir = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

/** Any constant; the advisory lock that makes replicas starting together apply each migration once. */
const MIGRATION_LOCK_ID = 7_207_369_101;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
  /** Applied migrations whose file changed since (Prisma would flag these too). */
  modified: string[];
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

export function readMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

// The table exactly as Prisma Migrate creates it, so `prisma migrate deploy` and `migrate status` agree.
const createPrismaMigrationsTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Applies every migration not yet recorded in `_prisma_migrations`, each in its own transaction. */
export async function applyMigrations(
  sql: SqlDriver,
  migrations = readMigrations(),
): Promise<MigrationReport> {
  return sql.withConnection(async (conn) => {
    await conn.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    try {
      await conn.exec(createPrismaMigrationsTable);
      const rows = await conn.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      assertNoFailedMigration(rows);
      const done = new Map(
        rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r]),
      );
      const report: MigrationReport = { applied: [], alreadyApplied: 0, modified: [] };
      for (const migration of migrations) {
        const previous = done.get(migration.name);
        if (previous) {
          report.alreadyApplied++;
          if (previous.checksum !== migration.checksum) report.modified.push(migration.name);
          continue;
        }
        await applyOne(conn, migration);
        report.applied.push(migration.name);
      }
      return report;
    } finally {
      await conn.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
    }
  });
}

function assertNoFailedMigration(rows: AppliedRow[]): void {
  const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
  if (failed) {
    throw new MigrationError(
      `Migration ${failed.migration_name} failed earlier and was left half-applied. ` +
        `Fix the database by hand, then mark it with \`prisma migrate resolve --rolled-back ${failed.migration_name}\`.`,
    );
  }
}

async function applyOne(conn: SqlDriver, migration: Migration): Promise<void> {
  const id = randomUUID();
  await conn.exec("BEGIN");
  try {
    await conn.exec(migration.sql);
    await conn.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [id, migration.checksum, migration.name],
    );
    await conn.exec("COMMIT");
  } catch (error) {
    await conn.exec("ROLLBACK");
    throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
