import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/db.js";
import { enqueueNotifications } from "../../src/store/outbox.js";
import { migratedDataDir } from "../support/paths.js";
import { alerts, FakeSlack, freePort, killAll, serve, slackEnv, until, waitFor } from "../support/service.js";

// A copy of the migrated template: the embedded database exists before the test writes its outbox.
const dataDir = migratedDataDir("escalator-sendkill-");
const slack = new FakeSlack();

afterAll(async () => {
  killAll();
  await slack.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("faults: the process killed -9 during a send (real process, fake Slack on loopback)", () => {
  it("delivers everything after the restart: no loss, and only the message in flight may show twice", {
    timeout: 300_000,
  }, async () => {
    // Twelve messages in three threads wait in the outbox of an embedded database.
    const store = await openStore({ kind: "pglite", dataDir: join(dataDir, "pglite") });
    const messages = alerts("kill", 12, 3);
    await enqueueNotifications(store.prisma, messages, new Date());
    await store.close();

    // Slack receives "kill 4" and the sender is killed -9 before it hears the answer (so before recording it).
    let killed: () => void = () => {};
    slack.hold = (text) => {
      if (!text.includes("kill 4 end")) return false;
      killed();
      return true;
    };
    const env = { ...slackEnv(await slack.start()), DATA_DIR: dataDir, PORT: String(await freePort()) };
    const first = serve(env);
    killed = () => first.child.kill("SIGKILL");
    expect(await first.exited).toBeNull(); // killed by the signal, not exited
    const inFlightAtKill = slack.posted.length;
    expect(slack.posted.filter((t) => t.includes("kill 4 end"))).toHaveLength(1);

    slack.hold = () => false;
    const second = serve(env);
    await waitFor(Number(env.PORT));
    await until(() => messages.every((m) => slack.posted.some((t) => t.includes(m.payload.text))));
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(second.output()).toMatch(/sends in flight when the last run stopped are sent again/);

    // Every message arrived; the ones Slack took while the killed sender waited may arrive twice, no other.
    const times = (text: string) => slack.posted.filter((t) => t.includes(text)).length;
    const repeated = messages.filter((m) => times(m.payload.text) > 1).map((m) => m.payload.text);
    expect(repeated).toContain("kill 4 end");
    expect(repeated.length).toBeLessThanOrEqual(3); // one send in flight per thread
    for (const m of messages) expect(times(m.payload.text)).toBeLessThanOrEqual(2);
    expect(slack.posted.length).toBe(messages.length + repeated.length);
    expect(inFlightAtKill).toBeGreaterThan(0);
    // Each thread still in order, counting first arrivals.
    for (const thread of [0, 1, 2]) {
      const first = slack.posted.map((t) => `kill ${/kill (\d+) end/.exec(t)?.[1]} end`);
      const order = [...new Set(first.filter((t) => Number(t.split(" ")[1]) % 3 === thread))];
      expect(order).toEqual(messages.filter((_, i) => i % 3 === thread).map((m) => m.payload.text));
    }
    const after = await openStore({ kind: "pglite", dataDir: join(dataDir, "pglite") });
    const states = await after.prisma.notification.groupBy({ by: ["state"], _count: true });
    await after.close();
    expect(states).toEqual([{ state: "sent", _count: 12 }]);
  });
});
