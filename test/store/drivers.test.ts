import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { templatePath } from "../support/paths.js";

// Which packages a process loads, recorded by a module hook in a child process (a test runner's own
// module graph cannot say what the server would load).
const root = new URL("../..", import.meta.url).pathname;
const recordLoads = `data:text/javascript,${encodeURIComponent(`
  import { register } from "node:module";
  register("data:text/javascript," + encodeURIComponent(
    "export async function resolve(s, c, next) { const r = await next(s, c);" +
    " if (r.url.includes('/node_modules/')) process.stderr.write('LOADED ' + r.url + '\\\\n'); return r; }"));
`)}`;

function packagesLoadedBy(script: string): string[] {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--import", recordLoads, "--input-type=module", "-e", script],
    { cwd: root, encoding: "utf8", timeout: 60_000 },
  );
  const names = [...result.stderr.matchAll(/^LOADED .*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)];
  return [...new Set(names.map((m) => m[1]!))];
}

describe("the database drivers", () => {
  it("are loaded only for the database in use: no PGlite on PostgreSQL, no pg on PGlite", () => {
    const onPostgres = packagesLoadedBy(`
      const { openStore } = await import("./src/store/db.ts");
      await openStore({ kind: "postgres", url: "postgres://127.0.0.1:1/none" }).catch(() => undefined);`);
    expect(onPostgres).toContain("pg");
    expect(onPostgres).not.toContain("@electric-sql/pglite");
    expect(onPostgres).not.toContain("pglite-prisma-adapter");
    // A copy of the migrated template (as the other PGlite tests open): no initdb in the child.
    const onPglite = packagesLoadedBy(`
      const { readFileSync } = await import("node:fs");
      const { openStore } = await import("./src/store/db.ts");
      const loadDataDir = new Blob([readFileSync(${JSON.stringify(templatePath)})]);
      const store = await openStore({ kind: "pglite-memory", loadDataDir });
      await store.close();`);
    expect(onPglite).toContain("@electric-sql/pglite");
    expect(onPglite).not.toContain("pg");
    expect(onPglite).not.toContain("@prisma/adapter-pg");
  }, 60_000);
});
