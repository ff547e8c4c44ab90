import type { DateTime } from "luxon";
import { TARGET_NAMES } from "../policy/schema.js";
import type { Policy, TargetName } from "../policy/types.js";
import { countedTargets, outcomeOf } from "../reports/compliance.js";
import { chunks } from "../scheduler/bundle.js";
import type { Store } from "../store/db.js";
import type { LoggedEvent } from "../tickets/events.js";
import { loadLogs } from "../tickets/log.js";

export interface TargetCounts {
  target: TargetName;
  met: number;
  breached: number;
  open: number;
}

/** What one ticket adds to the counts, and until when that holds without a change to the ticket. */
interface Counted {
  version: number;
  /** The last count that saw it in the window. */
  generation: number;
  /** Epoch ms at which a target counted open falls due (and may breach); Infinity: only a change moves it. */
  recheckAt: number;
  /** Interned: tickets with the same outcomes share one array. */
  outcomes: readonly Outcome[];
}

type Outcome = readonly [TargetName, "met" | "breached" | "open"];

/** Logs read at a time for the tickets that need evaluating. */
const BATCH = 500;

/**
 * SLA compliance of the tickets opened in the last 30 days, as the /metrics gauge shows it, kept up to date
 * by evaluating only what may have changed since the last count: a ticket that is new, has new events (its
 * version), or has an open target whose due instant has passed. Every count evaluated all of them before
 * (with 100,000 open tickets a scrape took 10.5 s, past Prometheus' default 10 s timeout, and again each
 * minute); now a scrape reads one (id, version) row per ticket and evaluates the few that moved.
 */
export class ComplianceCounts {
  private readonly tickets = new Map<string, Counted>();
  private readonly interned = new Map<string, readonly Outcome[]>();
  private generation = 0;
  /** Tickets evaluated by the last count (the rest came from what was known). */
  evaluated = 0;

  constructor(
    private readonly store: Store,
    private readonly policy: Policy,
    /** Tickets' (id, version) read at a time. */
    private readonly page = 5_000,
  ) {}

  /** The counts per target as of `now`; `warn` hears of tickets whose log cannot be read (left out). */
  async count(now: DateTime, warn: (text: string) => void): Promise<TargetCounts[]> {
    const nowMs = now.toMillis();
    const generation = ++this.generation;
    this.evaluated = 0;
    // A page of tickets at a time, in id order, so 100,000 rows are never in memory at once.
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const rows = await this.store.sql.query<{ id: string; version: number }>(
        `SELECT id::text AS id, version FROM "Ticket"
          WHERE "policyId" = $1 AND "openedAt" >= $2::timestamptz AND "openedAt" < $3::timestamptz
            AND id > $4::uuid
          ORDER BY "Ticket".id LIMIT $5`,
        [this.policy.id, now.minus({ days: 30 }).toISO(), now.toISO(), after, this.page],
      );
      const stale = new Map<string, number>();
      for (const { id, version } of rows) {
        const known = this.tickets.get(id);
        if (!known || known.version !== version || known.recheckAt <= nowMs) stale.set(id, version);
        else known.generation = generation;
      }
      for (const ids of chunks([...stale.keys()], BATCH))
        await this.evaluate(ids, stale, now, generation, warn);
      if (rows.length < this.page) break;
      after = rows[rows.length - 1]!.id;
    }
    // Tickets that left the window (or were deleted) count no more.
    for (const [id, known] of this.tickets) if (known.generation !== generation) this.tickets.delete(id);
    return this.totals();
  }

  private async evaluate(
    ids: string[],
    versions: Map<string, number>,
    now: DateTime,
    generation: number,
    warn: (text: string) => void,
  ): Promise<void> {
    const { logs, unreadable } = await loadLogs(this.store.prisma, ids);
    for (const [id, error] of unreadable) {
      if (!this.tickets.has(id)) warn(`warning: ticket ${id} left out: ${error.message}`);
      const version = versions.get(id)!;
      this.tickets.set(id, { version, generation, recheckAt: Number.POSITIVE_INFINITY, outcomes: [] });
    }
    for (const id of ids) {
      const log = logs.get(id);
      if (!log) continue;
      const { recheckAt, outcomes } = this.counted(log, now);
      this.tickets.set(id, { version: versions.get(id)!, generation, recheckAt, outcomes });
      this.evaluated++;
    }
  }

  private counted(log: LoggedEvent[], now: DateTime): Pick<Counted, "recheckAt" | "outcomes"> {
    const { counted } = countedTargets(this.policy, log, now);
    let recheckAt = Number.POSITIVE_INFINITY;
    const outcomes: Outcome[] = [];
    for (const status of counted) {
      const outcome = outcomeOf(status);
      outcomes.push([status.target, outcome]);
      if (outcome === "open" && status.state !== "paused" && status.due)
        recheckAt = Math.min(recheckAt, status.due.toMillis());
    }
    const key = outcomes.map((o) => o.join(":")).join("|");
    let shared = this.interned.get(key);
    if (!shared) {
      shared = outcomes;
      this.interned.set(key, shared);
    }
    return { recheckAt, outcomes: shared };
  }

  private totals(): TargetCounts[] {
    const byTarget = new Map<TargetName, TargetCounts>();
    for (const { outcomes } of this.tickets.values())
      for (const [target, outcome] of outcomes) {
        const counts = byTarget.get(target) ?? { target, met: 0, breached: 0, open: 0 };
        counts[outcome]++;
        byTarget.set(target, counts);
      }
    return [...byTarget.values()].sort(
      (a, b) => TARGET_NAMES.indexOf(a.target) - TARGET_NAMES.indexOf(b.target),
    );
  }
}
