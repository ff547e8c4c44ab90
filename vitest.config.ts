import { defineConfig } from "vitest/config";
import SlowestFirst from "./test/support/sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    // Database tests open their own PGlite copy or PostgreSQL database per file; two cores here.
    maxWorkers: 2,
    // Each worker process runs its files one after another instead of a new process per file: node_modules
    // stay loaded (bolt, botbuilder, pg, PGlite), whose import took ~2 s per file, about 45% of the suite's
    // CPU time here. freshModules.ts still evaluates every src/ and test/ module afresh for each file.
    isolate: false,
    // The server's own V8 setting (src/server/heapSettings.ts): PGlite's and Prisma's WebAssembly stay on
    // baseline code instead of being recompiled in background threads at each PGlite start in a test file
    // (~10% of the CPU of the database test files here).
    execArgv: ["--wasm-tiering-budget=2000000000"],
    setupFiles: ["test/support/freshModules.ts"],
    globalSetup: ["test/support/globalSetup.ts"],
    // The longest files first, the same order in every run (test/support/sequencer.ts says why).
    sequence: { sequencer: SlowestFirst },
    // Generous: a busy CI machine may slow the suite, never fail it.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
