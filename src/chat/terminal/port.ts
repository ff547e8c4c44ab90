import type { Clock } from "../../clock.js";
import type { ChatPort, Delivered, OutgoingMessage } from "../port.js";
import { renderForTerminal } from "./render.js";

/** Prints what the bot sends. Message ids are a counter; the card keeps its id when edited. */
export class TerminalChat implements ChatPort {
  readonly platform = "terminal" as const;
  private counter = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly clock: Clock,
  ) {}

  async send(message: OutgoingMessage): Promise<Delivered> {
    this.write(renderForTerminal(message, this.clock.now()));
    const channelId =
      message.edit?.channelId ?? message.destination.channelId ?? message.destination.userId ?? "dm";
    return { channelId, messageId: message.edit?.messageId ?? `t${++this.counter}` };
  }
}
