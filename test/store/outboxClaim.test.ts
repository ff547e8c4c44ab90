import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimSql } from "../../src/store/outbox.js";
import { openTestStore, type TestStore } from "../support/db.js";

// The claim reads only rows still to send: with many sent rows present, its plan walks the partial indexes
// (migration 20261201002000), never the sent rows. The plan is asserted, not how fast it runs.
describe("the outbox claim with many sent rows", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore("postgres");
    await t.store.sql.exec(`
      INSERT INTO "Notification" (key, kind, target, payload, state, "orderingKey", "availableAt", "createdAt")
        SELECT 'sent-' || i, 'threadNote', '{}', '{}', 'sent', 'ticket:' || (i % 20), now() - interval '1 day', now()
          FROM generate_series(1, 20000) i;
      INSERT INTO "Notification" (key, kind, target, payload, state, "orderingKey", "availableAt", "createdAt")
        SELECT 'due-' || i, 'threadNote', '{}', '{}', 'pending', 'ticket:' || (i % 20), now(), now()
          FROM generate_series(1, 40) i;
      ANALYZE "Notification";`);
  });
  afterAll(() => t.dispose());

  it("finds due rows and each thread's oldest unsent row through the indexes of unsent rows", async () => {
    const plan = (
      await t.store.sql.query<{ "QUERY PLAN": string }>(`EXPLAIN ${claimSql}`, [
        new Date(),
        "o",
        new Date(),
        100,
      ])
    )
      .map((r) => r["QUERY PLAN"])
      .join("\n");
    expect(plan).toMatch(/Index (Only )?Scan (using|on) "Notification_state_availableAt_idx"/);
    expect(plan).toMatch(/Index (Only )?Scan using "Notification_orderingKey_id_idx"/);
    expect(plan).not.toMatch(/Seq Scan/);
    const [definition] = await t.store.sql.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'Notification_orderingKey_id_idx'`,
    );
    expect(definition?.indexdef).toMatch(
      /WHERE \(state = ANY \(ARRAY\['pending'::text, 'sending'::text\]\)\)/,
    );
  });
});
