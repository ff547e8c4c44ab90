import { afterAll, beforeAll } from "vitest";
import { type DispatcherDeps, type DispatchResult, dispatchDue } from "../../src/scheduler/dispatcher.js";
import { openStore, type Store } from "../../src/store/db.js";
import { openTestStore, type TestStore } from "./db.js";
import { silentLogger } from "./fakes.js";

/** The dispatcher as the tests run it: one replica "r", a silent log, retry jitter fixed at its middle. */
export function dispatchTo(
  store: Store,
  ports: DispatcherDeps["ports"],
  now: () => Date,
  more: Partial<DispatcherDeps> = {},
): Promise<DispatchResult> {
  return dispatchDue({ store, ports, logger: silentLogger, replicaId: "r", now, random: () => 0.5, ...more });
}

/**
 * Two replicas on one PostgreSQL database, for the describe block that calls it: `t` owns a database of its
 * own, `second` is another store (another replica's connections) on the same database.
 */
export function twoReplicas(): { t: TestStore; second: Store } {
  const pair = {} as { t: TestStore; second: Store };
  beforeAll(async () => {
    pair.t = await openTestStore("postgres");
    pair.second = await openStore({ kind: "postgres", url: pair.t.url! });
  });
  afterAll(async () => {
    await pair.second?.close();
    await pair.t?.dispose();
  });
  return pair;
}
