// The two databases every database bench runs on: an in-memory PGlite, and a fresh PostgreSQL database on
// TEST_DATABASE_URL's server, created for the run and dropped after it.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openMigratedStore, type Store } from "../src/store/db.js";

export interface BenchStore {
  store: Store;
  dispose(): Promise<void>;
}

const pgUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export async function openPglite(): Promise<BenchStore> {
  const { store } = await openMigratedStore({ kind: "pglite-memory" });
  return { store, dispose: () => store.close() };
}

export async function openPostgres(): Promise<BenchStore> {
  const name = `escalator_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const { store } = await openMigratedStore({ kind: "postgres", url: url.toString() });
  return {
    store,
    async dispose() {
      await store.close();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
