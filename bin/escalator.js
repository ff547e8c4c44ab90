#!/usr/bin/env node
// Runs the JavaScript compiled at install (`npm run build` → dist/): no TypeScript is compiled at start.
// ESCALATOR_FROM_SOURCE=1 runs the TypeScript sources through tsx instead (the tests do, so they check src/).
import { existsSync } from "node:fs";

const compiled = new URL("../dist/cli/main.js", import.meta.url);
const fromSource = process.env.ESCALATOR_FROM_SOURCE === "1" || !existsSync(compiled);
if (fromSource && process.env.ESCALATOR_FROM_SOURCE !== "1") {
  process.stderr.write(
    "escalator: dist/ is missing, running the TypeScript sources (slow); run `npm run build`\n",
  );
}
let entry = compiled;
if (fromSource) {
  try {
    const { register } = await import("tsx/esm/api");
    register();
    entry = new URL("../src/cli/main.ts", import.meta.url);
  } catch {
    process.stderr.write("escalator: neither dist/ nor tsx is installed; run `npm install`\n");
    process.exit(1);
  }
}
const { main } = await import(entry.href);
await main(process.argv);
