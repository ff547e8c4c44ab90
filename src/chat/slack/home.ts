import type { types } from "@slack/bolt";
import type { DateTime } from "luxon";
import type { Logger } from "../../logger.js";
import type { TicketService } from "../../tickets/service.js";
import type { TicketView } from "../port.js";
import { ticketLine } from "../ticketAnswers.js";
import type { AgentDirectory } from "./agents.js";
import {
  type Block,
  capBlocks,
  context,
  header,
  limits,
  section,
  slackAnswers,
  slackDate,
} from "./blocks.js";
import type { WebClient, WebClients } from "./client.js";
import type { PrismaInstallationStore } from "./installations.js";

export interface HomeDeps {
  tickets: TicketService;
  agents: AgentDirectory;
  installations: PrismaInstallationStore;
  clients: WebClients;
  now: () => DateTime;
  logger: Logger;
  oncallText?: ((at: DateTime) => string) | undefined;
  /** At most one refresh per workspace in this window; views.publish is per user (Tier 4). */
  throttleMs?: number;
}

const SEEN_FOR_MS = 24 * 3600_000;

/**
 * App Home: my tickets, the team queue by time to breach, who is on call. Published when someone opens
 * it, and republished for recent visitors after ticket changes, throttled per workspace.
 */
export class HomeTab {
  private readonly visitors = new Map<string, Map<string, number>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: HomeDeps) {}

  async open(client: WebClient, workspaceId: string, userId: string): Promise<void> {
    const seen = this.visitors.get(workspaceId) ?? new Map<string, number>();
    seen.set(userId, this.deps.now().toMillis());
    this.visitors.set(workspaceId, seen);
    await this.publish(client, workspaceId, userId);
  }

  async publish(client: WebClient, workspaceId: string, userId: string): Promise<void> {
    const isAgent = await this.deps.agents.isAgent(client, workspaceId, userId);
    await client.views.publish({ user_id: userId, view: await this.build(workspaceId, userId, isAgent) });
  }

  /** A ticket of this workspace changed: refresh recent visitors' homes once the throttle window ends. */
  changed(workspaceId: string): void {
    if (this.timers.has(workspaceId) || !this.visitors.get(workspaceId)?.size) return;
    const timer = setTimeout(() => {
      this.timers.delete(workspaceId);
      this.refresh(workspaceId).catch((error) =>
        this.deps.logger.warn({ err: error, workspaceId }, "App Home refresh failed"),
      );
    }, this.deps.throttleMs ?? 30_000);
    timer.unref();
    this.timers.set(workspaceId, timer);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async refresh(workspaceId: string): Promise<void> {
    const now = this.deps.now().toMillis();
    const seen = this.visitors.get(workspaceId) ?? new Map<string, number>();
    const { token } = await this.deps.installations.credentialsFor(workspaceId);
    const client = this.deps.clients.for(token);
    for (const [userId, at] of seen) {
      if (now - at > SEEN_FOR_MS) seen.delete(userId);
      else await this.publish(client, workspaceId, userId);
    }
  }

  async build(workspaceId: string, userId: string, isAgent: boolean): Promise<types.View> {
    const now = this.deps.now();
    const mine = await this.deps.tickets.list({ workspaceId, personId: userId, limit: 20 });
    const blocks: Block[] = [
      header("Escalator"),
      context(`Updated ${slackDate(now.toISO()!, now.zoneName ?? "UTC")}`),
    ];
    blocks.push(
      header("On call now"),
      section(this.deps.oncallText?.(now) ?? "_No on-call schedule is configured._"),
    );
    blocks.push(header("My tickets"), ...ticketLines(mine, now, "You have no open tickets."));
    if (isAgent) {
      const agent = { id: userId, platform: "slack" as const, workspaceId, isAgent };
      const queue = await this.deps.tickets.queue(agent, 40);
      blocks.push(
        header("Team queue · soonest breach first"),
        ...ticketLines(queue, now, "The queue is empty."),
      );
    }
    return { type: "home", callback_id: "escalator_home", blocks: capBlocks(blocks, limits.viewBlocks) };
  }
}

function ticketLines(tickets: TicketView[], now: DateTime, empty: string): Block[] {
  if (tickets.length === 0) return [section(`_${empty}_`)];
  return tickets.map((t) => section(ticketLine(t, now, slackAnswers)));
}
