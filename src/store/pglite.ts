import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.js";
import { acquireDataDirLock, type DataDirLock } from "./dataDirLock.js";
import type { SqlDriver, Store, StoreLocation } from "./db.js";
import { applyMigrations } from "./migrate.js";

export async function openPglite(location: Exclude<StoreLocation, { kind: "postgres" }>): Promise<Store> {
  let lock: DataDirLock | undefined;
  let db: PGlite;
  if (location.kind === "pglite") {
    mkdirSync(location.dataDir, { recursive: true });
    // PGlite is one process's database: a second process on the same folder would corrupt it.
    lock = acquireDataDirLock(location.dataDir);
    db = new PGlite(location.dataDir);
  } else {
    db = new PGlite(location.loadDataDir ? { loadDataDir: location.loadDataDir } : {});
  }
  await db.waitReady;
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  const sql: SqlDriver = {
    async exec(text) {
      await db.exec(text);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await db.query<T>(text, params)).rows;
    },
    // PGlite has exactly one connection.
    withConnection: (work) => work(sql),
  };
  return {
    prisma,
    kind: "pglite",
    sql,
    // Safe beside Prisma on the one connection: PGlite's query() waits for its transaction lock, which an
    // interactive transaction (pglite-prisma-adapter runs it in PGlite's transaction()) holds to its end.
    queries: sql,
    intake: sql,
    // One process holds the data folder: every NOTIFY is this process's own.
    listen: async (channel, onNotify, options) =>
      options?.othersOnly
        ? async () => undefined
        : db.listen(channel, () => onNotify()).then((stop) => () => stop()),
    async close() {
      await prisma.$disconnect();
      await db.close();
      lock?.release();
    },
  };
}

/** A migrated in-memory PGlite, dumped (see db.ts); `onEmpty` gets it as initdb left it, before the migrations. */
export async function dumpTemplate(onEmpty?: (empty: Blob) => void): Promise<Blob> {
  const db = new PGlite();
  await db.waitReady;
  onEmpty?.(await db.dumpDataDir("none"));
  await applyMigrations({
    exec: async (t) => void (await db.exec(t)),
    query: async <T>(t: string, p: unknown[] = []) => (await db.query<T>(t, p)).rows,
    withConnection(work) {
      return work(this);
    },
  });
  const dump = await db.dumpDataDir("none");
  await db.close();
  return dump;
}
