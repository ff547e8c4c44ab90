import type { Logger } from "../logger.js";
import type { SqlQuery } from "../store/db.js";
import {
  claimPendingCommands,
  finishPendingCommand,
  type PendingRow,
  releasePendingCommand,
  renewPendingLeases,
} from "../store/pendingCommands.js";

export interface IntakeWorkerDeps {
  /** The main pool: the worker's statements never take the ack path's connections. */
  sql: SqlQuery;
  platform: string;
  /** A token unique to this process (two replicas never share one). */
  owner: string;
  now: () => Date;
  /** Carries one acknowledged request out and tells the person; throws only when that could not be done. */
  carryOut(row: PendingRow): Promise<void>;
  logger: Logger;
  /**
   * Requests carried out at once (default 16). Most of each one's time is spent waiting for Slack (the
   * answer through the response_url), so this many keep 2 cores busy; their database work queues at the
   * ticket service's gate (8 transactions), and the ack path has connections of its own (Store.intake).
   */
  concurrency?: number;
  /** How many of those may run right now (an IntakeThrottle's limit); default all of them. */
  limit?: () => number;
  /** How long a claim holds without renewal (default 10 s): a dead replica's rows wait at most this long. */
  leaseMs?: number;
  /** How often the queue is looked at besides the wake-ups (default 1 s): other replicas' and lapsed rows. */
  pollMs?: number;
  /** Attempts before a request is dropped with an error in the log (default 5). */
  maxAttempts?: number;
}

/**
 * Drains the queue of acknowledged requests (PendingCommand rows) with bounded concurrency, so the ack path
 * only writes a row and answers: past the rate the machine sustains, the queue grows in the database, acks
 * stay fast, and each person is answered in turn. Each row is leased (owner + leaseUntil, renewed while the
 * work runs), so on several replicas a row is carried out by one of them, and by another one as soon as the
 * lease of a process that died lapses. Carrying a row out twice opens one ticket (its id is the client key).
 */
export class IntakeWorker {
  private readonly held = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private claiming: Promise<void> | undefined;
  private again = false;
  /**
   * Whether rows may wait that this process has not claimed: its last claim took all it had room for,
   * or a wake-up found no room. Only then does a finished request claim again at once; otherwise new
   * rows of this process wake it themselves, and other replicas' or lapsed ones are found by the poll.
   */
  private backlog = true;
  private stopped = false;
  private readonly concurrency: number;
  private readonly leaseMs: number;

  constructor(private readonly deps: IntakeWorkerDeps) {
    this.concurrency = deps.concurrency ?? 16;
    this.leaseMs = deps.leaseMs ?? 10_000;
  }

  /** Requests being carried out by this process now. */
  get inFlight(): number {
    return this.held.size;
  }

  /** Polls for rows nobody is working on and keeps this process's leases renewed. */
  start(): void {
    const poll = setInterval(() => this.wake(), this.deps.pollMs ?? 1_000);
    const renew = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    poll.unref();
    renew.unref();
    this.timers.push(poll, renew);
    this.wake();
  }

  /** Something was queued (or a slot came free): claim what fits now. Cheap when nothing fits. */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.claimWhatFits().finally(() => {
      this.claiming = undefined;
    });
  }

  /** More requests may run at once now (the throttle's limit grew): claim, if rows may be waiting. */
  roomGrew(): void {
    if (this.backlog) this.wake();
  }

  /** Stops claiming; waits up to `graceMs` for the requests in hand (a lease left behind lapses). */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    let timeout: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timeout = setTimeout(resolve, graceMs);
    });
    const drained = (async () => {
      await this.claiming;
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
    })();
    await Promise.race([drained, late]);
    clearTimeout(timeout);
  }

  private async claimWhatFits(): Promise<void> {
    do {
      this.again = false;
      const allowed = Math.min(this.concurrency, this.deps.limit?.() ?? this.concurrency);
      const free = allowed - this.held.size;
      if (free <= 0) {
        this.backlog = true;
        return;
      }
      let rows: PendingRow[];
      try {
        rows = await claimPendingCommands(this.deps.sql, {
          platform: this.deps.platform,
          owner: this.deps.owner,
          now: this.deps.now(),
          leaseMs: this.leaseMs,
          limit: free,
        });
      } catch (error) {
        this.deps.logger.error({ err: error }, "acknowledged requests could not be claimed; retrying");
        return;
      }
      for (const row of rows) this.run(row);
      this.backlog = rows.length === free;
      if (this.backlog) this.again = true;
    } while (this.again && !this.stopped);
  }

  private run(row: PendingRow): void {
    // Claimed again while still ours (our clock passed the lease): the claim renewed it; one run is enough.
    if (this.held.has(row.id)) return;
    this.held.add(row.id);
    const task = this.carryOut(row).finally(() => {
      this.held.delete(row.id);
      this.running.delete(task);
      if (this.backlog) this.wake();
    });
    this.running.add(task);
  }

  private async carryOut(row: PendingRow): Promise<void> {
    const { sql, owner, logger } = this.deps;
    try {
      await this.deps.carryOut(row);
      if (!(await finishPendingCommand(sql, row.id, owner)))
        logger.warn({ pending: row.id }, "an acknowledged request was taken over while being carried out");
    } catch (error) {
      const attempts = row.attempts;
      if (attempts >= (this.deps.maxAttempts ?? 5)) {
        logger.error({ err: error, pending: row.id, attempts }, "an acknowledged request was given up");
        await finishPendingCommand(sql, row.id, owner).catch(() => undefined);
        return;
      }
      logger.warn({ err: error, pending: row.id, attempts }, "an acknowledged request failed; retrying");
      const retryAt = new Date(this.deps.now().getTime() + 2 ** attempts * 1000);
      await releasePendingCommand(sql, row.id, owner, retryAt).catch(() => undefined);
    }
  }

  private async renew(): Promise<void> {
    const ids = [...this.held];
    if (ids.length === 0) return;
    try {
      const kept = await renewPendingLeases(
        this.deps.sql,
        ids,
        this.deps.owner,
        this.deps.now(),
        this.leaseMs,
      );
      for (const id of ids)
        if (!kept.has(id) && this.held.has(id))
          this.deps.logger.warn({ pending: id }, "lease on an acknowledged request lapsed before renewal");
    } catch (error) {
      this.deps.logger.warn({ err: error }, "leases on acknowledged requests not renewed");
    }
  }
}
