import { randomUUID } from "node:crypto";
import type {
  ChatPort,
  Delivered,
  Destination,
  MessageBody,
  OutgoingMessage,
  Platform,
} from "../chat/port.js";
import { PermanentSendError, RetryableSendError } from "../chat/port.js";
import type { Logger } from "../logger.js";
import { coerceError } from "../logger.js";
import type { Store } from "../store/db.js";
import {
  type ClaimedNotification,
  claimNotifications,
  enqueueNotifications,
  markFailed,
  markRetry,
  renewLeases,
} from "../store/outbox.js";
import { MAX_ATTEMPTS, retryDelayMs } from "./backoff.js";
import { type PaceKeys, type Pacer, platformPacing } from "./pacer.js";
import { SentRecorder } from "./sentRecorder.js";

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
}

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
}

type Outcome = keyof DispatchResult | "skipped" | "paced";

/** One claimed batch: which rows are still ours (kept fresh by a heartbeat), and their thread roots. */
interface Batch {
  owner: string;
  held: Set<number>;
  /** Until when (app clock, ms) every held lease is known to hold, from the claim or the last renewal. */
  validUntil: number;
  roots: Map<string, { channelId: string; messageId: string }>;
  sent: SentRecorder;
}

/**
 * Sends every notification that is due, batch after batch, until none is left. A batch is sent in parallel
 * across conversations (a batch holds at most one row per thread, the oldest, so threads stay in order);
 * pages first, then alerts, then thread notes and card redraws; each conversation paced as its platform asks.
 */
export async function dispatchDue(deps: DispatcherDeps): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, retried: 0, failed: 0 };
  const owner = deps.leaseToken ?? randomUUID();
  for (;;) {
    // Shutting down: the batch in hand was finished; nothing more is claimed (another replica sends it).
    if (deps.stopping?.()) return result;
    const claimed = await claimNotifications(deps.store.prisma, {
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
      sent: new SentRecorder(deps.store.prisma, owner, deps.now),
    };
    const heartbeat = holdLeases(deps, batch);
    try {
      await inParallel(claimed, deps.concurrency ?? 32, async (row) => {
        const outcome = await deliver(deps, batch, row);
        batch.held.delete(row.id);
        if (outcome in result) result[outcome as keyof DispatchResult]++;
      });
    } finally {
      clearInterval(heartbeat);
    }
  }
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
      const still = await renewLeases(deps.store.prisma, ids, batch.owner, now, leaseMs);
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

async function deliver(deps: DispatcherDeps, batch: Batch, row: ClaimedNotification): Promise<Outcome> {
  const destination = row.target as Destination;
  const port = deps.ports[destination.platform];
  const message = prepare(row, destination, batch.roots);
  const pacer = deps.pacer;
  const pace = pacer ? (deps.pacing ?? platformPacing)(destination, message.edit !== undefined) : [];
  const wait = pacer && pace.length ? pacer.reserve(pace, row.key) : 0;
  if (wait > 0) {
    const at = new Date(deps.now().getTime() + wait);
    await markRetry(deps.store.prisma, row.id, batch.owner, at, null, true);
    return "paced";
  }
  if (!(await stillHeld(deps, batch, row.id))) return "skipped";
  try {
    if (!port) throw new PermanentSendError(`no ${destination.platform} connection is configured`);
    const delivered = await port.send(message);
    // An admin alert is also an error in the log (a page that reached nobody, a message that failed).
    if (row.kind === "adminAlert") deps.logger.error({ key: row.key, alert: row.payload }, "admin alert");
    await recordDelivery(deps.store, row, message, delivered, deps.now());
    if (delivered.degraded) await tellDegraded(deps, row, delivered.degraded);
    if (!(await batch.sent.record(row.id, delivered))) {
      deps.logger.error(
        { key: row.key, replica: deps.replicaId },
        "delivered after this replica's lease was taken over (it could not reach the database): the new holder may send it again",
      );
    }
    return "sent";
  } catch (thrown) {
    const error = coerceError(thrown);
    deps.onSendError?.(destination.platform, error);
    return handleFailure(deps, batch.owner, row, error, pace, pacer);
  }
}

/** Our lease must hold as the send starts: renewed here when the heartbeat has not run lately. */
async function stillHeld(deps: DispatcherDeps, batch: Batch, id: number): Promise<boolean> {
  if (!batch.held.has(id)) return false;
  const leaseMs = deps.leaseMs ?? 60_000;
  const now = deps.now();
  if (now.getTime() < batch.validUntil - leaseMs / 2) return true;
  const still = await renewLeases(deps.store.prisma, [id], batch.owner, now, leaseMs);
  if (!still.has(id)) batch.held.delete(id);
  return still.has(id);
}

async function handleFailure(
  deps: DispatcherDeps,
  owner: string,
  row: ClaimedNotification,
  error: Error,
  pace: PaceKeys,
  pacer: Pacer | undefined,
): Promise<Outcome> {
  if (error instanceof PermanentSendError || row.attempts >= MAX_ATTEMPTS) {
    await fail(deps, owner, row, error);
    return "failed";
  }
  const retryAfterMs = error instanceof RetryableSendError ? error.retryAfterMs : undefined;
  if (retryAfterMs) pacer?.pause(pace, retryAfterMs); // the whole conversation waits, not just this row
  const delay = retryDelayMs(row.attempts, retryAfterMs, deps.random ?? Math.random);
  await markRetry(deps.store.prisma, row.id, owner, new Date(deps.now().getTime() + delay), error.message);
  deps.logger.warn(
    { key: row.key, attempts: row.attempts, delayMs: Math.round(delay), err: error },
    "send deferred",
  );
  return "retried";
}

/**
 * The thread roots of every ticket in the batch, per platform, in one query: the card in the ticket's own
 * channel ("root") and its copy in the triage channel ("triage").
 */
async function threadRoots(store: Store, rows: ClaimedNotification[]): Promise<Batch["roots"]> {
  const ticketIds = [...new Set(rows.flatMap((r) => (r.ticketId ? [r.ticketId] : [])))];
  const roots: Batch["roots"] = new Map();
  if (ticketIds.length === 0) return roots;
  const links = await store.prisma.chatLink.findMany({
    where: { ticketId: { in: ticketIds }, kind: { in: ["root", "triage"] } },
    orderBy: { id: "asc" },
    select: { ticketId: true, platform: true, kind: true, channelId: true, messageId: true },
  });
  for (const link of links) {
    const key = `${link.ticketId}:${link.platform}:${link.kind}`;
    if (!roots.has(key)) roots.set(key, { channelId: link.channelId, messageId: link.messageId });
  }
  return roots;
}

const linkKind = (destination: Destination) => (destination.thread === "triage" ? "triage" : "root");

/** The message for a row: in one of the ticket's threads, or (the ticket card) an edit of its first post. */
function prepare(row: ClaimedNotification, destination: Destination, roots: Batch["roots"]): OutgoingMessage {
  const body = row.payload as MessageBody;
  const message: OutgoingMessage = { key: row.key, destination, body, attempt: row.attempts };
  if (!row.ticketId || !destination.thread) return message;
  const root = roots.get(`${row.ticketId}:${destination.platform}:${linkKind(destination)}`);
  if (!root) return message;
  if (body.type === "ticketCard") message.edit = { ...root };
  else message.thread = { ...root };
  return message;
}

async function recordDelivery(
  store: Store,
  row: ClaimedNotification,
  message: OutgoingMessage,
  delivered: Delivered,
  now: Date,
): Promise<void> {
  if (!row.ticketId || message.body.type !== "ticketCard" || message.edit) return;
  // The first card becomes the thread root: every later update of this ticket goes into its thread.
  // Its copy in the triage channel becomes the root of the team's own thread.
  await store.prisma.chatLink.createMany({
    data: [
      {
        ticketId: row.ticketId,
        platform: message.destination.platform,
        kind: linkKind(message.destination),
        workspaceId: message.destination.workspaceId,
        channelId: delivered.channelId,
        messageId: delivered.messageId,
        threadId: delivered.messageId,
        permalink: delivered.permalink ?? null,
        createdAt: now,
      },
    ],
    skipDuplicates: true,
  });
}

async function fail(
  deps: DispatcherDeps,
  owner: string,
  row: ClaimedNotification,
  error: Error,
): Promise<void> {
  if (!(await markFailed(deps.store.prisma, row.id, owner, error.message))) return;
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
