import { describe, expect, it, vi } from "vitest";
import { twoReplicas } from "../support/dispatch.js";

const patience = { timeout: 30_000 };

describe("NOTIFY on PostgreSQL", () => {
  const r = twoReplicas();

  it("reaches every listener, and one that wants other processes' only hears the other replica's", {
    timeout: 60_000,
  }, async () => {
    const heard = { all: 0, others: 0 };
    const stops = await Promise.all([
      r.t.store.listen("escalator_test", () => heard.all++),
      r.t.store.listen("escalator_test", () => heard.others++, { othersOnly: true }),
    ]);
    try {
      // Each listener looks once when it starts (anything missed before it listened).
      await vi.waitFor(() => expect(heard).toEqual({ all: 1, others: 1 }), patience);
      await r.t.store.prisma.$executeRawUnsafe(`NOTIFY escalator_test`);
      await vi.waitFor(() => expect(heard.all).toBe(2), patience);
      await r.second.prisma.$executeRawUnsafe(`NOTIFY escalator_test`);
      await vi.waitFor(() => expect(heard).toEqual({ all: 3, others: 2 }), patience);
    } finally {
      await Promise.all(stops.map((stop) => stop()));
    }
  });
});
