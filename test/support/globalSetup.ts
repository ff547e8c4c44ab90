import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { dumpTemplate } from "../../src/store/db.js";
import { emptyTemplatePath, templateDataDir, templatePath } from "./paths.js";

/**
 * Builds one migrated PGlite once per run; each test file starts from a copy (about 10x faster than initdb).
 * Compiles src/ to dist/ meanwhile (another process), so the tests that spawn bin/escalator.js run today's sources.
 */
export default async function setup(): Promise<void> {
  const build = new Promise<number | null>((resolve) =>
    spawn(process.execPath, [new URL("../../scripts/build.mjs", import.meta.url).pathname], {
      stdio: "inherit",
    }).on("exit", resolve),
  );
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
  if ((await build) !== 0) throw new Error("npm run build failed");
}
