/** Errors a chat user sees. Adapters show `message` where the user typed (ephemeral in Slack). */
export class TicketCommandError extends Error {
  constructor(
    message: string,
    readonly code: "invalid" | "not-found" | "forbidden",
  ) {
    super(message);
    this.name = "TicketCommandError";
  }
}

export const invalid = (message: string) => new TicketCommandError(message, "invalid");
export const notFound = (message: string) => new TicketCommandError(message, "not-found");
export const forbidden = (message: string) => new TicketCommandError(message, "forbidden");
