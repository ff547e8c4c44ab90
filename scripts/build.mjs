// Compiles src/**/*.ts to dist/ once (at install), so no TypeScript is compiled when the bot starts.
// Each file is transpiled on its own (tsconfig has isolatedModules); type checking is `npm run typecheck`.
// bin/escalator.js calls build() again when a file under src/ is newer than dist/.built.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Builds dist/ and stamps it; false when esbuild is not installed (`npm install --omit=dev`). */
export async function build() {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    return false;
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
  // Its modification time is the build's: sources changed after it make bin/escalator.js rebuild.
  writeFileSync(join(root, "dist", ".built"), `${new Date().toISOString()}\n`);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Without esbuild (the Docker runtime stage) dist/ was built in the build stage: nothing to do.
  await build();
}
