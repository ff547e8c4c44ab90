import { DateTime } from "luxon";
import { pino } from "pino";
import type { ChatPort, Delivered, OutgoingMessage, Platform, TicketView } from "../../src/chat/port.js";
import type { Actor } from "../../src/tickets/service.js";

/** A chat platform that records what it was sent; `failNext` scripts the errors it answers with. */
export class FakeChat implements ChatPort {
  readonly sent: (OutgoingMessage & { messageId: string })[] = [];
  private failures: Error[] = [];
  private counter = 0;

  constructor(readonly platform: Platform = "terminal") {}

  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  async send(message: OutgoingMessage): Promise<Delivered> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    const messageId = message.edit?.messageId ?? `m${++this.counter}`;
    this.sent.push({ ...message, messageId });
    return { channelId: message.edit?.channelId ?? message.destination.channelId ?? "dm", messageId };
  }

  texts(): string[] {
    return this.sent.map((m) =>
      "text" in m.body ? m.body.text : m.body.type === "ticketCard" ? "[card]" : m.body.type,
    );
  }
}

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public current: DateTime) {}
  now = (): DateTime => this.current;
  date = (): Date => this.current.toJSDate();
  set(iso: string): void {
    this.current = DateTime.fromISO(iso, { setZone: true });
  }
  advance(duration: { minutes?: number; hours?: number; days?: number; seconds?: number }): void {
    this.current = this.current.plus(duration);
  }
}

export const silentLogger = pino({ level: "silent" });

export function actor(id: string, isAgent: boolean, workspaceId = "local"): Actor {
  return { id, platform: "terminal", workspaceId, isAgent };
}

/** A ticket as renderers see it: #`n`, open, high, with the summary given. */
export function ticketView(n: number, summary = `Scanner ${n} down`): TicketView {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    workspaceId: "slack:T1",
    number: n,
    summary,
    severity: "high",
    severityLabel: "High",
    channel: "phone",
    plan: null,
    category: null,
    status: "open",
    requesterId: "UCUST",
    assigneeId: null,
    openedAt: "2026-11-24T01:00:00Z",
    zone: "UTC",
    targets: [],
  };
}
