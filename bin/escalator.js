#!/usr/bin/env node
// Runs the JavaScript compiled at install (`npm run build` → dist/): no TypeScript is compiled at start.
// When a file under src/ is newer than the last build, dist/ is rebuilt first (esbuild, a fraction of a
// second), so an edited or freshly merged source never runs as its old build.
// ESCALATOR_FROM_SOURCE=1 runs the TypeScript sources through tsx instead (the tests do, so they check src/).
import { existsSync, readdirSync, statSync } from "node:fs";

const compiled = new URL("../dist/cli/main.js", import.meta.url);
const say = (text) => process.stderr.write(`escalator: ${text}\n`);

/** Newest modification time under `dir`, folders included (a deleted file changes its folder's). */
function newestChange(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = new URL(entry.name + (entry.isDirectory() ? "/" : ""), dir);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/ is current; rebuilds it when src/ (absent in the Docker image) changed since. */
async function ensureBuilt() {
  const src = new URL("../src/", import.meta.url);
  if (!existsSync(src)) return existsSync(compiled);
  const stamp = new URL("../dist/.built", import.meta.url);
  const built = existsSync(stamp) && existsSync(compiled) ? statSync(stamp).mtimeMs : 0;
  if (newestChange(src) <= built) return true;
  const { build } = await import("../scripts/build.mjs");
  if (await build()) return true;
  say(
    existsSync(compiled)
      ? "src/ changed since dist/ was built and esbuild is not installed: running the OLD build; run `npm install`"
      : "dist/ is missing and esbuild is not installed; run `npm install`",
  );
  return existsSync(compiled);
}

let entry = compiled;
if (process.env.ESCALATOR_FROM_SOURCE === "1" || !(await ensureBuilt())) {
  try {
    const { register } = await import("tsx/esm/api");
    register();
    entry = new URL("../src/cli/main.ts", import.meta.url);
  } catch {
    say("neither dist/ nor tsx is installed; run `npm install`");
    process.exit(1);
  }
}
const { main } = await import(entry.href);
await main(process.argv);
