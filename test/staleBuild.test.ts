import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// A copy of the launcher and build script over a one-file src/, so editing "sources" never touches the project.
const root = new URL("..", import.meta.url).pathname;
const project = mkdtempSync(join(tmpdir(), "escalator-build-"));
cpSync(join(root, "bin"), join(project, "bin"), { recursive: true });
cpSync(join(root, "scripts/build.mjs"), join(project, "scripts/build.mjs"));
writeFileSync(join(project, "package.json"), '{ "type": "module" }\n');
mkdirSync(join(project, "src/cli"), { recursive: true });
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Writes src/cli/main.ts printing `word`, dated after the last build so the change is visible. */
function editSource(word: string) {
  const file = join(project, "src/cli/main.ts");
  writeFileSync(file, `export function main(): void {\n  console.log("${word}");\n}\n`);
  const later = new Date(Date.now() + 60_000);
  utimesSync(file, later, later);
}

function run() {
  const env = { ...process.env, ESCALATOR_FROM_SOURCE: "" };
  const result = spawnSync("node", [join(project, "bin/escalator.js")], { env, encoding: "utf8" });
  return { stdout: result.stdout.trim(), stderr: result.stderr };
}

describe("bin/escalator.js never runs a stale build", () => {
  it("builds dist/ at first run and rebuilds it when a source changes", () => {
    symlinkSync(join(root, "node_modules"), join(project, "node_modules"));
    editSource("first");
    expect(run().stdout).toBe("first");
    const built = statSync(join(project, "dist/.built")).mtimeMs;
    editSource("second");
    expect(run().stdout).toBe("second");
    expect(statSync(join(project, "dist/.built")).mtimeMs).toBeGreaterThan(built);
  });

  it("says so when esbuild is missing and the build is old", () => {
    rmSync(join(project, "node_modules"));
    editSource("third");
    const { stdout, stderr } = run();
    expect(stderr).toMatch(/src\/ changed since dist\/ was built and esbuild is not installed/);
    expect(stdout).toBe("second");
  });

  it("runs an unchanged build without rebuilding", () => {
    symlinkSync(join(root, "node_modules"), join(project, "node_modules"));
    execFileSync("node", [join(project, "scripts/build.mjs")]);
    const stamp = join(project, "dist/.built");
    const later = new Date(Date.now() + 120_000); // after the edit dated a minute ahead
    utimesSync(stamp, later, later);
    const built = statSync(stamp).mtimeMs;
    expect(run().stdout).toBe("third");
    expect(statSync(join(project, "dist/.built")).mtimeMs).toBe(built);
  });
});
