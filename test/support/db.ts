import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { openStore, type Store } from "../../src/store/db.js";
import { applyMigrations } from "../../src/store/migrate.js";
import { emptyTemplatePath, templatePath } from "./paths.js";

export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type Backend = "pglite" | "postgres";
export const backends: Backend[] = ["pglite", "postgres"];

export interface TestStore {
  store: Store;
  /** The PostgreSQL URL of this test's own database (postgres backend only). */
  url?: string;
  dispose(): Promise<void>;
}

/** A migrated store of its own for one test file: a PGlite copy of the template, or a fresh PostgreSQL database. */
export async function openTestStore(
  backend: Backend,
  options: { migrate?: boolean } = {},
): Promise<TestStore> {
  const migrate = options.migrate ?? true;
  if (backend === "pglite") {
    // Unmigrated: the template's own database as initdb left it (initdb here took ~5 s more).
    const template = migrate ? templatePath : emptyTemplatePath;
    const store = await openStore({ kind: "pglite-memory", loadDataDir: new Blob([readFileSync(template)]) });
    return { store, dispose: () => store.close() };
  }
  const { url, drop } = await createTestDatabase();
  const store = await openStore({ kind: "postgres", url });
  if (migrate) await applyMigrations(store.sql);
  return {
    store,
    url,
    async dispose() {
      await store.close();
      await drop();
    },
  };
}

/** Creates a throwaway database on the test server; fails loudly (never skips) when the server is down. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `escalator_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${testDatabaseUrl} (${(error as Error).message}). ` +
        "Start it (see README, Running the tests) or set TEST_DATABASE_URL.",
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
