import { setFlagsFromString } from "node:v8";

/**
 * V8 settings for the long-running server (issue 14: ≤ 200 MB resident with 100,000 open tickets), each
 * measured; bench/RESULTS.md has the figures.
 *
 * - Prisma's query compiler is a WebAssembly module. V8 runs it as baseline (Liftoff) code and recompiles
 *   its hot functions with its optimising compiler in background threads, which left ~70 MB of native
 *   memory behind (their malloc arenas): a third of the process at start. A tiering budget no workload
 *   reaches keeps it on baseline code; Prisma caches each query shape's plan, so the compiler runs rarely
 *   and a 1,000-due tick costs the same CPU with it. It also spares PGlite's start the optimising compile of
 *   its WebAssembly PostgreSQL: ~0.7 s less CPU and ~90 MB less peak memory in a warm start.
 * - The old generation may grow to 1.5 × what survived the last full collection (V8 otherwise lets it grow
 *   up to 4 × during a burst of allocation, and keeps those pages long after): more frequent full
 *   collections, ~15 % more CPU in a 1,000-due tick, in exchange for a heap that stays near its live size.
 *
 * The young generation's size can only be set when node starts: `npm start` and the Docker image pass
 * `--max-semi-space-size=4` (32 MB → 8 MB). An operator's own flags on node's command line win (node does
 * not take these two in NODE_OPTIONS).
 */
export const serverV8Flags = ["--wasm-tiering-budget=2000000000", "--heap-growing-percent=50"];

/** Applies serverV8Flags the operator did not set themselves; returns the ones applied. */
export function tuneHeapForServer(
  given = `${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`,
  set: (flag: string) => void = setFlagsFromString,
): string[] {
  const applied = serverV8Flags.filter((flag) => !given.includes(flag.split("=")[0]!));
  for (const flag of applied) set(flag);
  return applied;
}
