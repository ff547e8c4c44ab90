import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The request a piece of work belongs to. Set by the HTTP server for each request; every log line written
 * while handling it (in Bolt's listeners too, which run in the same async context) carries its id.
 */
const current = new AsyncLocalStorage<{ requestId: string }>();

export function withRequestId<T>(requestId: string, work: () => T): T {
  return current.run({ requestId }, work);
}

/** Pino mixin: `{ requestId }` inside a request, nothing outside one. */
export function requestIdMixin(): { requestId?: string } {
  const context = current.getStore();
  return context ? { requestId: context.requestId } : {};
}
