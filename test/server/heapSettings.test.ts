import { describe, expect, it } from "vitest";
import { serverV8Flags, tuneHeapForServer } from "../../src/server/heapSettings.js";

describe("the server's V8 settings", () => {
  it("are applied at serve, except one the operator set in NODE_OPTIONS or on the command line", () => {
    const set: string[] = [];
    expect(tuneHeapForServer("", (flag) => set.push(flag))).toEqual(serverV8Flags);
    expect(set).toEqual(serverV8Flags);
    const mine: string[] = [];
    tuneHeapForServer("--max-semi-space-size=4 --heap-growing-percent=80", (flag) => mine.push(flag));
    expect(mine).toEqual(["--wasm-tiering-budget=2000000000"]);
  });
});
