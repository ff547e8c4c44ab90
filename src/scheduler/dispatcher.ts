import { randomUUID } from "node:crypto";
import type { ChatPort, Destination, Platform } from "../chat/port.js";
import { PermanentSendError, RetryableSendError } from "../chat/port.js";
import type { Logger } from "../logger.js";
import { coerceError } from "../logger.js";
import type { Store } from "../store/db.js";
import {
  type ClaimedNotification,
  claimNotifications,
  enqueueNotifications,
  markFailed,
  markRetryMany,
  markWaiting,
  renewLeases,
} from "../store/outbox.js";
import { MAX_ATTEMPTS, retryDelayMs } from "./backoff.js";
import { bundleMessage, unitsOf } from "./bundle.js";
import { type PaceKeys, type Pacer, platformPacing } from "./pacer.js";
import { planBatch, type Send } from "./plan.js";
import { SentRecorder } from "./sentRecorder.js";
import { prepare, recordDelivery, type ThreadRoots, threadRoots } from "./threads.js";

export interface DispatcherDeps {
  store: Store;
  ports: Partial<Record<Platform, ChatPort>>;
  logger: Logger;
  /** This replica's name, for logs only: two replicas may be given the same one. */
  replicaId: string;
  /** Owns the leases: unique to this process (default: a fresh token per call). */
  leaseToken?: string;
  now: () => Date;
  /** Where permanent delivery failures are reported (an admin channel). */
  adminDestination?: Destination;
  random?: () => number;
  /** True once the process is shutting down: finish the sends claimed, claim no more. */
  stopping?: () => boolean;
  /** Told of every failed send attempt (metrics). */
  onSendError?: (platform: string, error: Error) => void;
  leaseMs?: number;
  batchSize?: number;
  /** Sends in flight at once, across conversations. */
  concurrency?: number;
  /**
   * The replica's pacing state, kept across calls (the scheduler always passes one; without it nothing is
   * paced). `pacing` says which buckets a message counts against.
   */
  pacer?: Pacer;
  pacing?: (destination: Destination, isEdit: boolean) => PaceKeys;
  /** Told when rows were put back to wait until `at` (their pace slot, a retry): the runner wakes then. */
  onDeferred?: (at: Date) => void;
}

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
}

/** One claimed batch: which rows are still ours (kept fresh by a heartbeat), and their thread roots. */
interface Batch {
  owner: string;
  held: Set<number>;
  /** Until when (app clock, ms) every held lease is known to hold, from the claim or the last renewal. */
  validUntil: number;
  roots: ThreadRoots;
  sent: SentRecorder;
  result: DispatchResult;
}

/**
 * Sends every notification that is due, batch after batch, until none is left. A batch is sent in parallel
 * across conversations (a batch holds at most one row per thread, the oldest, so threads stay in order);
 * pages first, then alerts, then thread notes and card redraws; each conversation paced as its platform asks.
 * Pages and alerts that would wait for one conversation's pace go together as one message (bundle.ts).
 */
export async function dispatchDue(deps: DispatcherDeps): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, retried: 0, failed: 0 };
  const owner = deps.leaseToken ?? randomUUID();
  for (;;) {
    // Shutting down: the batch in hand was finished; nothing more is claimed (another replica sends it).
    if (deps.stopping?.()) return result;
    const claimed = await claimNotifications(deps.store.queries, {
      owner,
      now: deps.now(),
      leaseMs: deps.leaseMs ?? 60_000,
      limit: deps.batchSize ?? 100,
    });
    if (claimed.length === 0) return result;
    const batch: Batch = {
      owner,
      held: new Set(claimed.map((r) => r.id)),
      validUntil: deps.now().getTime() + (deps.leaseMs ?? 60_000),
      roots: await threadRoots(deps.store, claimed),
      sent: new SentRecorder(deps.store.queries, owner, deps.now),
      result,
    };
    const heartbeat = holdLeases(deps, batch);
    try {
      // Pacing is decided in priority order before anything is sent, so a redraw never takes a page's slot.
      const pacing = deps.pacing ?? platformPacing;
      const plan = planBatch(deps.pacer, pacing, batch.roots, unitsOf(claimed));
      await Promise.all([
        wait(deps, batch, plan.waits),
        inParallel(plan.sends, deps.concurrency ?? 32, (send) => deliver(deps, batch, send)),
      ]);
    } finally {
      clearInterval(heartbeat);
    }
  }
}

/** Rows sent back to wait for their pace slots, all in one statement; their attempt count is kept. */
async function wait(
  deps: DispatcherDeps,
  batch: Batch,
  waits: Map<number, ClaimedNotification[]>,
): Promise<void> {
  if (waits.size === 0) return;
  const now = deps.now().getTime();
  const rows = [...waits].flatMap(([ms, held]) => held.map((r) => ({ id: r.id, at: new Date(now + ms) })));
  await markWaiting(deps.store.queries, batch.owner, rows);
  for (const { id } of rows) batch.held.delete(id);
  for (const ms of waits.keys()) deps.onDeferred?.(new Date(now + ms));
}

/**
 * Renews the batch's leases while it is being sent, so a slow platform never outlasts them; a row another
 * process took over (our lease ran out while we could not reach the database) leaves `held`.
 */
function holdLeases(deps: DispatcherDeps, batch: Batch): NodeJS.Timeout {
  const leaseMs = deps.leaseMs ?? 60_000;
  const timer = setInterval(async () => {
    const ids = [...batch.held];
    const now = deps.now();
    try {
      const still = await renewLeases(deps.store.queries, ids, batch.owner, now, leaseMs);
      batch.validUntil = now.getTime() + leaseMs;
      for (const id of ids) if (!still.has(id)) batch.held.delete(id);
    } catch (thrown) {
      deps.logger.warn({ err: coerceError(thrown) }, "could not renew send leases");
    }
  }, leaseMs / 4);
  timer.unref();
  return timer;
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Sends one message (one row, or a bundle of rows for one conversation) and records every row it carried. */
async function deliver(deps: DispatcherDeps, batch: Batch, { rows, pace }: Send): Promise<void> {
  const held = await stillHeld(deps, batch, rows);
  if (held.length === 0) return;
  // A 429 on an earlier message of this batch holds the whole conversation, this message too.
  const paused =
    deps.pacer?.pausedFor(
      pace,
      held.map((row) => row.key),
    ) ?? 0;
  if (paused > 0) return wait(deps, batch, new Map([[Math.ceil(paused), held]]));
  const message = held.length === 1 ? prepare(held[0]!, batch.roots) : bundleMessage(held);
  const port = deps.ports[message.destination.platform];
  try {
    if (!port) throw new PermanentSendError(`no ${message.destination.platform} connection is configured`);
    const delivered = await port.send(message);
    for (const row of held) {
      // An admin alert is also an error in the log (a page that reached nobody, a message that failed).
      if (row.kind === "adminAlert") deps.logger.error({ key: row.key, alert: row.payload }, "admin alert");
      await recordDelivery(deps.store, row, message, delivered, deps.now());
      if (delivered.degraded) await tellDegraded(deps, row, delivered.degraded);
    }
    const recorded = await Promise.all(held.map((row) => batch.sent.record(row.id, delivered)));
    batch.result.sent += held.length;
    if (recorded.every(Boolean)) return;
    deps.logger.error(
      { key: message.key, replica: deps.replicaId },
      "delivered after this replica's lease was taken over (it could not reach the database): the new holder may send it again",
    );
  } catch (thrown) {
    const error = coerceError(thrown);
    deps.onSendError?.(message.destination.platform, error);
    await handleFailure(deps, batch, held, error, pace);
  } finally {
    for (const row of held) batch.held.delete(row.id);
  }
}

/** The rows whose lease holds as the send starts: renewed here when the heartbeat has not run lately. */
async function stillHeld(
  deps: DispatcherDeps,
  batch: Batch,
  rows: ClaimedNotification[],
): Promise<ClaimedNotification[]> {
  const mine = rows.filter((r) => batch.held.has(r.id));
  const leaseMs = deps.leaseMs ?? 60_000;
  const now = deps.now();
  if (mine.length === 0 || now.getTime() < batch.validUntil - leaseMs / 2) return mine;
  const ids = mine.map((r) => r.id);
  const still = await renewLeases(deps.store.queries, ids, batch.owner, now, leaseMs);
  for (const id of ids) if (!still.has(id)) batch.held.delete(id);
  return mine.filter((r) => still.has(r.id));
}

/** A failed message: every row it carried retries together (or, past the last attempt, fails). */
async function handleFailure(
  deps: DispatcherDeps,
  batch: Batch,
  rows: ClaimedNotification[],
  error: Error,
  pace: PaceKeys,
): Promise<void> {
  const permanent = error instanceof PermanentSendError;
  const retrying = permanent ? [] : rows.filter((r) => r.attempts < MAX_ATTEMPTS);
  for (const row of rows) if (!retrying.includes(row)) await fail(deps, batch, row, error);
  if (retrying.length === 0) return;
  const retryAfterMs = error instanceof RetryableSendError ? error.retryAfterMs : undefined;
  if (retryAfterMs) deps.pacer?.pause(pace, retryAfterMs); // the whole conversation waits, not just this row
  const attempts = Math.max(...retrying.map((r) => r.attempts));
  const delay = retryDelayMs(attempts, retryAfterMs, deps.random ?? Math.random);
  const at = new Date(deps.now().getTime() + delay);
  const ids = retrying.map((r) => r.id);
  await markRetryMany(deps.store.queries, ids, batch.owner, at, error.message);
  batch.result.retried += retrying.length;
  deps.onDeferred?.(at);
  deps.logger.warn(
    { keys: retrying.map((r) => r.key), attempts, delayMs: Math.round(delay), err: error },
    "send deferred",
  );
}

async function fail(
  deps: DispatcherDeps,
  batch: Batch,
  row: ClaimedNotification,
  error: Error,
): Promise<void> {
  batch.result.failed++;
  if (!(await markFailed(deps.store.queries, row.id, batch.owner, error.message))) return;
  deps.logger.error(
    { key: row.key, attempts: row.attempts, err: error },
    "notification could not be delivered",
  );
  if (row.kind === "adminAlert") return;
  await alertAdmin(
    deps,
    `admin-alert:${row.key}`,
    `Escalator could not deliver a ${row.kind} message (${row.key}) after ${row.attempts} attempt(s): ${error.message}`,
  );
}

/** Sent, but not all of it (the digest without its chart): an error in the log and a line to the admins. */
async function tellDegraded(deps: DispatcherDeps, row: ClaimedNotification, what: string): Promise<void> {
  deps.logger.error({ key: row.key, attempts: row.attempts }, `sent incompletely: ${what}`);
  // The message is out: a failure here must not make the caller send it again.
  await alertAdmin(
    deps,
    `admin-alert:degraded:${row.key}`,
    `Escalator sent ${row.key} incompletely: ${what}`,
  ).catch((thrown) =>
    deps.logger.error({ key: row.key, err: coerceError(thrown) }, "could not tell the admins"),
  );
}

async function alertAdmin(deps: DispatcherDeps, key: string, text: string): Promise<void> {
  if (!deps.adminDestination) return;
  await enqueueNotifications(
    deps.store.prisma,
    [
      {
        key,
        kind: "adminAlert",
        target: { ...deps.adminDestination },
        payload: { type: "adminAlert", text },
      },
    ],
    deps.now(),
  );
}
