/** Exponential backoff with jitter for chat sends: 2 s, 4 s, 8 s … capped at 10 minutes. */
export const MAX_ATTEMPTS = 15;
const BASE_MS = 2_000;
const CAP_MS = 10 * 60_000;

/**
 * The wait before attempt `attempts + 1`. "Equal jitter": half fixed, half random, so replicas retrying
 * the same outage spread out but never retry immediately. A platform's Retry-After wins when it is longer.
 */
export function retryDelayMs(
  attempts: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const exponential = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}
