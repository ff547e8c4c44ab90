// Runs `prisma generate` offline. The Prisma CLI insists on a schema-engine binary path even though
// `generate` never runs it, and would otherwise try to download one from a host this machine cannot reach.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve("prisma/build/index.js");
} catch {
  // `npm install --omit=dev`: the client was generated at build time (see Dockerfile).
  if (existsSync(new URL("../src/generated/prisma/client.ts", import.meta.url))) process.exit(0);
  console.error("prisma is not installed and src/generated/prisma is missing; run a full `npm install`.");
  process.exit(1);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
