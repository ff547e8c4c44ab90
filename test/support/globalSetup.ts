import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { dumpTemplate } from "../../src/store/db.js";
import { emptyTemplatePath, templateDataDir, templatePath } from "./paths.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const keyPath = fileURLToPath(new URL("../../.tmp/pglite-template.key", import.meta.url));

/**
 * What the templates are made from: the migrations and schema (prisma/), the code that opens, migrates and
 * dumps the database (src/store/), this file, and the PGlite version. The same inputs give the same templates.
 */
function templateKey(): string {
  const hash = createHash("sha256");
  for (const dir of ["prisma", "src/store"]) {
    const files = readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
    for (const file of files) hash.update(`${file}\0`).update(readFileSync(file)).update("\0");
  }
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(readFileSync(join(root, "node_modules/@electric-sql/pglite/package.json")));
  return hash.digest("hex");
}

/**
 * Builds one migrated PGlite per run, or reuses the previous run's when nothing it is made from changed (its
 * key in .tmp/ says so; ~7 s here); each test file starts from a copy (about 10x faster than initdb).
 * Compiles src/ to dist/ meanwhile (another process), so the tests that spawn bin/escalator.js run today's sources.
 * The migrations from scratch are still run by every run: test/store/migrations.test.ts, and the first
 * service start on an empty folder in test/server/service.test.ts.
 */
export default async function setup(): Promise<void> {
  const build = new Promise<number | null>((resolve) =>
    spawn(process.execPath, [new URL("../../scripts/build.mjs", import.meta.url).pathname], {
      stdio: "inherit",
    }).on("exit", resolve),
  );
  const key = templateKey();
  const reusable =
    existsSync(keyPath) &&
    readFileSync(keyPath, "utf8") === key &&
    [templatePath, emptyTemplatePath, templateDataDir].every((path) => existsSync(path));
  if (!reusable) {
    // The key is written last: a run stopped halfway leaves no key, and the next run builds afresh.
    rmSync(keyPath, { force: true });
    mkdirSync(new URL(".", `file://${templatePath}`).pathname, { recursive: true });
    let empty: Blob | undefined;
    const dump = await dumpTemplate((blob) => {
      empty = blob;
    });
    writeFileSync(templatePath, Buffer.from(await dump.arrayBuffer()));
    writeFileSync(emptyTemplatePath, Buffer.from(await empty!.arrayBuffer()));
    // The same template as a folder, for the tests that start the real service on a copy (migratedDataDir).
    rmSync(templateDataDir, { recursive: true, force: true });
    const db = new PGlite(templateDataDir, { loadDataDir: dump });
    await db.waitReady;
    await db.close();
    writeFileSync(keyPath, key);
  }
  if ((await build) !== 0) throw new Error("npm run build failed");
}
