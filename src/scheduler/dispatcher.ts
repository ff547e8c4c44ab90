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
  markSent,
  renewLease,
} from "../store/outbox.js";
import { MAX_ATTEMPTS, retryDelayMs } from "./backoff.js";

export interface DispatcherDeps {
  store: Store;
  ports: Partial<Record<Platform, ChatPort>>;
  logger: Logger;
  replicaId: string;
  now: () => Date;
  /** Where permanent delivery failures are reported (an admin channel). */
  adminDestination?: Destination;
  random?: () => number;
  leaseMs?: number;
  batchSize?: number;
}

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
}

/** Sends every notification that is due, batch after batch, until none is left. */
export async function dispatchDue(deps: DispatcherDeps): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, retried: 0, failed: 0 };
  for (;;) {
    const batch = await claimNotifications(deps.store.prisma, {
      replicaId: deps.replicaId,
      now: deps.now(),
      leaseMs: deps.leaseMs ?? 60_000,
      limit: deps.batchSize ?? 50,
    });
    if (batch.length === 0) return result;
    // One at a time: rows of one thread are claimed head-first, and a platform's rate limit is per channel.
    for (const row of batch) {
      const outcome = await deliver(deps, row);
      if (outcome !== "skipped") result[outcome]++;
    }
  }
}

async function deliver(
  deps: DispatcherDeps,
  row: ClaimedNotification,
): Promise<keyof DispatchResult | "skipped"> {
  const destination = row.target as Destination;
  const port = deps.ports[destination.platform];
  const ours = await renewLease(
    deps.store.prisma,
    row.id,
    deps.replicaId,
    deps.now(),
    deps.leaseMs ?? 60_000,
  );
  if (!ours) return "skipped"; // our lease ran out while earlier rows were sent; another replica has it
  try {
    if (!port) throw new PermanentSendError(`no ${destination.platform} connection is configured`);
    const message = await prepare(deps.store, row, destination);
    const delivered = await port.send(message);
    await recordDelivery(deps.store, row, message, delivered, deps.now());
    await markSent(deps.store.prisma, row.id, deps.replicaId, delivered, deps.now());
    return "sent";
  } catch (thrown) {
    const error = coerceError(thrown);
    if (error instanceof PermanentSendError || row.attempts >= MAX_ATTEMPTS) {
      await fail(deps, row, error);
      return "failed";
    }
    const retryAfterMs = error instanceof RetryableSendError ? error.retryAfterMs : undefined;
    const delay = retryDelayMs(row.attempts, retryAfterMs, deps.random ?? Math.random);
    await markRetry(
      deps.store.prisma,
      row.id,
      deps.replicaId,
      new Date(deps.now().getTime() + delay),
      error.message,
    );
    deps.logger.warn(
      { key: row.key, attempts: row.attempts, delayMs: Math.round(delay), err: error },
      "send deferred",
    );
    return "retried";
  }
}

/**
 * Finds the ticket's thread root (and, for the ticket card, the message to edit in place): the card in the
 * ticket's own channel ("root"), or its copy in the triage channel ("triage").
 */
async function prepare(
  store: Store,
  row: ClaimedNotification,
  destination: Destination,
): Promise<OutgoingMessage> {
  const body = row.payload as MessageBody;
  const message: OutgoingMessage = { key: row.key, destination, body };
  if (!row.ticketId || !destination.thread) return message;
  const root = await store.prisma.chatLink.findFirst({
    where: { ticketId: row.ticketId, platform: destination.platform, kind: linkKind(destination) },
    orderBy: { id: "asc" },
  });
  if (!root) return message;
  const at = { channelId: root.channelId, messageId: root.messageId };
  if (body.type === "ticketCard") message.edit = at;
  else message.thread = at;
  return message;
}

const linkKind = (destination: Destination) => (destination.thread === "triage" ? "triage" : "root");

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

async function fail(deps: DispatcherDeps, row: ClaimedNotification, error: Error): Promise<void> {
  if (!(await markFailed(deps.store.prisma, row.id, deps.replicaId, error.message))) return;
  deps.logger.error(
    { key: row.key, attempts: row.attempts, err: error },
    "notification could not be delivered",
  );
  if (!deps.adminDestination || row.kind === "adminAlert") return;
  await enqueueNotifications(
    deps.store.prisma,
    [
      {
        key: `admin-alert:${row.key}`,
        kind: "adminAlert",
        target: { ...deps.adminDestination },
        payload: {
          type: "adminAlert",
          text: `Escalator could not deliver a ${row.kind} message (${row.key}) after ${row.attempts} attempt(s): ${error.message}`,
        },
      },
    ],
    deps.now(),
  );
}
