// Compiles src/**/*.ts to dist/ once (at install), so no TypeScript is compiled when the bot starts.
// Each file is transpiled on its own (tsconfig has isolatedModules); type checking is `npm run typecheck`.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  // `npm install --omit=dev` (the Docker runtime stage): dist/ was built in the build stage.
  process.exit(0);
}
const src = join(root, "src");
const entryPoints = readdirSync(src, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
  .map((file) => join(src, file));
await esbuild.build({
  entryPoints,
  outdir: join(root, "dist"),
  outbase: src,
  format: "esm",
  platform: "node",
  target: "node20.19",
  sourcemap: "linked",
  logLevel: "warning",
});
