import { afterAll, describe, expect, it } from "vitest";
import { enqueueNotifications } from "../../src/store/outbox.js";
import { openTestStore, type TestStore } from "../support/db.js";
import {
  alerts,
  FakeSlack,
  freePort,
  killAll,
  type Served,
  serve,
  slackEnv,
  until,
  waitFor,
} from "../support/service.js";

const slack = new FakeSlack();
let t: TestStore | undefined;

afterAll(async () => {
  killAll();
  await slack.close();
  await t?.dispose();
});

const MESSAGES = 40;
const THREADS = 8;

describe("faults: a rolling restart of two real replicas on one PostgreSQL while messages fall due", () => {
  it("loses and repeats nothing: each message reaches the fake Slack exactly once, in thread order", {
    timeout: 300_000,
  }, async () => {
    t = await openTestStore("postgres");
    const apiUrl = await slack.start();
    const env = { ...slackEnv(apiUrl), DATABASE_URL: t.url! };
    const ports = [await freePort(), await freePort()] as const;
    const start = (i: 0 | 1) => serve({ ...env, PORT: String(ports[i]), REPLICA_ID: `replica-${i}` });
    let replicas: [Served, Served] = [start(0), start(1)];
    await Promise.all(ports.map((p) => waitFor(p)));

    // The load: 40 messages in 8 threads, one falling due every quarter second from now on (both restarts still
    // land mid-load: each replica is stopped and started again while the later messages fall due).
    const messages = alerts("roll", MESSAGES, THREADS);
    const now = Date.now();
    await enqueueNotifications(
      t.store.prisma,
      messages.map((m, i) => ({ ...m, availableAt: new Date(now + i * 250) })),
      new Date(now),
    );
    const arrived = (n: number) => until(() => slack.posted.length >= n);

    // Restart replica 0 while replica 1 runs, then replica 1 while replica 0 runs, each mid-load.
    for (const [i, after] of [
      [0, 5],
      [1, 20],
    ] as const) {
      await arrived(after);
      replicas[i].child.kill("SIGTERM");
      expect(await replicas[i].exited).toBe(0); // graceful: finished its tick and its claimed sends
      replicas = i === 0 ? [start(0), replicas[1]] : [replicas[0], start(1)];
      await waitFor(ports[i]);
    }
    await arrived(MESSAGES);
    // Both stop gracefully: a send still in flight finishes (and would show a repeat) before they exit.
    for (const r of replicas) r.child.kill("SIGTERM");
    expect(await Promise.all(replicas.map((r) => r.exited))).toEqual([0, 0]);

    const texts = messages.map((m) => m.payload.text);
    const seen = slack.posted.map((p) => texts.find((text) => p.includes(text)));
    expect(seen.filter((s) => s === undefined)).toEqual([]);
    expect([...seen].sort()).toEqual([...texts].sort()); // each exactly once
    const threadOf = (text: string | undefined) => Number(/roll (\d+) end/.exec(text ?? "")?.[1]) % THREADS;
    for (let thread = 0; thread < THREADS; thread++)
      expect(seen.filter((s) => threadOf(s) === thread)).toEqual(texts.filter((s) => threadOf(s) === thread));
    const states = await t.store.prisma.notification.groupBy({ by: ["state"], _count: true });
    expect(states).toEqual([{ state: "sent", _count: MESSAGES }]);
  });
});
