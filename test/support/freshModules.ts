import { vi } from "vitest";

// With `isolate: false` a worker process runs many test files. Vitest runs this file before each of them:
// every module under src/ and test/ is evaluated afresh for each file, as in a process of its own, while
// Node keeps node_modules loaded (their import was the slow part).
vi.resetModules();
