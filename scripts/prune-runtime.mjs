// For the runtime image, after `npm prune --omit=dev`: deletes the packages no runtime dependency needs.
// npm keeps optional peers such as @prisma/client's `prisma` and `typescript` (the Prisma CLI, its studio,
// the TypeScript compiler) because the lock file installs them; nothing at run time loads them.
// Walks package-lock.json from package.json's dependencies along required edges only.
import { readFileSync, rmSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8")).packages;
const resolve = (from, name) => {
  for (let base = from; ; ) {
    const path = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (lock[path]) return path;
    if (!base) return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut < 0 ? "" : base.slice(0, cut);
  }
};
const needed = new Set();
const walk = (path) => {
  if (!path || needed.has(path)) return;
  needed.add(path);
  const entry = lock[path];
  const optionalPeers = entry.peerDependenciesMeta ?? {};
  const peers = Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional);
  for (const name of [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.optionalDependencies ?? {}),
    ...peers,
  ])
    walk(resolve(path, name));
};
for (const name of Object.keys(lock[""].dependencies ?? {})) walk(resolve("", name));
const unneeded = Object.keys(lock).filter((path) => path && !needed.has(path));
for (const path of unneeded) rmSync(path, { recursive: true, force: true });
console.log(`prune-runtime: ${needed.size} runtime packages kept, ${unneeded.length} others removed`);
