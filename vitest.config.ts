import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    // Database tests open their own PGlite copy or PostgreSQL database per file; two cores here.
    maxWorkers: 2,
    globalSetup: ["test/support/globalSetup.ts"],
    // Generous: a busy CI machine may slow the suite, never fail it.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
