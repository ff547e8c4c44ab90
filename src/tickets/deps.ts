import type { DateTime } from "luxon";
import type { Platform, TicketView } from "../chat/port.js";
import type { Policy } from "../policy/types.js";
import type { SqlQuery, Store } from "../store/db.js";
import type { Tx } from "../store/outbox.js";
import type { AgentLookup } from "./agents.js";
import type { Recipients } from "./notifications.js";

/** The types the ticket service's modules share (the service is the facade callers see). */

export interface Actor {
  id: string;
  platform: Platform;
  workspaceId: string;
  /** A member of the support side (configured per platform); others are customers. */
  isAgent: boolean;
  /** May act on every workspace's tickets (the operator). */
  isAdmin?: boolean;
  /** The customers the customers file names this person for (by their id or their own workspace). */
  customerIds?: readonly string[];
}

export interface TicketServiceDeps {
  store: Store;
  policy: Policy;
  /** The clock lives at the edge: tests and the terminal's simulated time pass their own. */
  now: () => DateTime;
  recipients?: Recipients;
  /** A ticket the scheduler could not evaluate (it is retried in 15 minutes). */
  onTicketError?: (ticketId: string, error: Error) => void;
  /**
   * Called after a commit that wrote notifications, so they go out at once instead of at the next poll;
   * after a command, with the next check it stored for its ticket (null: none), so the scheduler's timer
   * can take it without reading the database.
   */
  onNotificationsWritten?: (nextCheckAt?: Date | null) => void;
  /** Command transactions at once (default 8; the rest queue in order). */
  concurrentCommands?: number;
  /** Who is an agent per platform (the adapters register); the service makes its own when not given. */
  agents?: AgentLookup;
}

export interface CommandResult {
  ticket: TicketView;
  /** True when the client key was seen before: nothing was done again. */
  duplicate: boolean;
}

/** A command's result inside the service: also the next check it stored, which the facade hands on. */
export interface CommandOutcome extends CommandResult {
  /** The ticket's next check as the command stored it (null: none); absent when nothing was stored. */
  nextCheckAt?: Date | null;
}

/** The policy acting on its own (raise severity, auto-resolve). */
export interface SystemActor {
  id: "escalator";
  platform: "scheduler";
}
export const systemActor: SystemActor = { id: "escalator", platform: "scheduler" };

/** What the service's modules get from the facade: its dependencies and its one way to run a command. */
export interface TicketCore {
  deps: TicketServiceDeps;
  agents: AgentLookup;
  /** One command's transaction, in turn; a raced repeat of a client key answers the first one's result. */
  transaction(work: (tx: Tx) => Promise<CommandOutcome>, clientKey?: string): Promise<CommandOutcome>;
  /**
   * One command whose writes are a single statement (atomic alone), run in turn outside any transaction on
   * the driver; a raced repeat of a client key answers the first one's result.
   */
  statement(work: (sql: SqlQuery) => Promise<CommandOutcome>, clientKey?: string): Promise<CommandOutcome>;
  /** The result of the command that used this client key before, if one did. */
  replayed(tx: Tx, clientKey: string): Promise<CommandResult | undefined>;
}
