// Apart from logger.ts, so that the front door thread (src/server/frontDoor.ts) does not load pino.

/** Normalises anything thrown into an Error, once, where it is caught. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === "string" ? thrown : JSON.stringify(thrown));
}
