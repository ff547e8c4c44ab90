import type { Destination } from "../chat/port.js";

/** A rate a platform asks for: `perSecond` sustained, `burst` at once. */
export interface PaceRule {
  perSecond: number;
  burst: number;
}

/** The buckets one message counts against (a channel; for Teams also the whole tenant). */
export type PaceKeys = [string, PaceRule][];

/**
 * Slack: about one message a second per channel, short bursts allowed; edits (card redraws) count against
 * Tier 3 per workspace. Teams: a few messages a second per conversation and a budget per tenant. The
 * terminal is not paced. Sources: docs.slack.dev/apis/web-api/rate-limits, learn.microsoft.com … rate-limit.
 */
export function platformPacing(destination: Destination, isEdit: boolean): PaceKeys {
  const { platform, workspaceId } = destination;
  if (platform === "terminal") return [];
  const conversation = conversationKey(destination);
  if (platform === "slack") {
    return isEdit
      ? [[`slack:${workspaceId}:edits`, { perSecond: 1, burst: 50 }]]
      : [[conversation, { perSecond: 1, burst: 10 }]];
  }
  return [
    [conversation, { perSecond: 1, burst: 7 }],
    [`teams:${workspaceId}`, { perSecond: 30, burst: 60 }],
  ];
}

/** One chat conversation: a channel (by id or policy name) or a person's DM, in one workspace. */
export function conversationKey(d: Destination): string {
  return `${d.platform}:${d.workspaceId}:${d.channelId ?? d.channelName ?? `dm:${d.userId}`}`;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets kept in memory per replica. `reserve` always takes a token (the count may go below zero)
 * and says how long to wait for it, so messages over the rate are spread out instead of retried in a herd.
 * A platform's own "slow down" (429 Retry-After) empties the bucket until then.
 */
export class Pacer {
  private readonly buckets = new Map<string, Bucket>();
  /** Messages sent back to wait for their slot: when it comes they go without taking a second one. */
  private readonly promised = new Map<string, number>();
  /** Each conversation's last slot held by waiting messages that may go together, and how many it holds. */
  private readonly held = new Map<string, { at: number; size: number }>();
  /** Conversations a platform told to wait (429), until when. */
  private readonly paused = new Map<string, number>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /**
   * How long message `id` must wait before it may be sent under `keys` (0: now). A message sent back earlier
   * may go up to `earlyMs` before its slot.
   */
  reserve(keys: PaceKeys, id: string, earlyMs = 50): number {
    const held = this.redeem(keys, id, earlyMs);
    if (held !== undefined) return held;
    const now = this.clock();
    const wait = this.take(keys, now);
    if (wait > 0) this.promise(id, now + wait);
    return wait;
  }

  /**
   * For messages sent back earlier to wait for a slot: how long `id` must still wait (0: its slot has come,
   * or will within `earlyMs`, and it goes without taking another token); undefined when it holds no slot.
   */
  redeem(keys: PaceKeys, id: string, earlyMs = 50): number | undefined {
    const slot = this.promised.get(id);
    if (slot === undefined) return undefined;
    const now = this.clock();
    const due = Math.max(slot, this.pausedUntil(keys));
    if (due - now <= earlyMs) {
      this.promised.delete(id);
      return 0;
    }
    this.promised.set(id, due);
    return due - now;
  }

  /**
   * Messages waiting for a conversation's pace that may go together (a bundle, at most `max` a message):
   * they join the conversation's last held slot while it has room, and the rest take the next slots, a token
   * each. Each holds its slot (see `redeem`), so messages that come later wait for slots after them. Returns
   * how long each waits (0: there was a token, go now) → the ids waiting that long, soonest first.
   */
  queue(keys: PaceKeys, conversation: string, ids: string[], max: number): Map<number, string[]> {
    const now = this.clock();
    const waits = new Map<number, string[]>();
    let rest = ids;
    const last = this.held.get(conversation);
    if (last && last.at > now && last.size < max) {
      const joining = rest.slice(0, max - last.size);
      for (const id of joining) this.promise(id, last.at);
      last.size += joining.length;
      waits.set(last.at - now, joining);
      rest = rest.slice(joining.length);
    }
    for (let i = 0; i < rest.length; i += max) {
      const group = rest.slice(i, i + max);
      const wait = this.take(keys, now);
      if (wait > 0) {
        for (const id of group) this.promise(id, now + wait);
        if (this.held.size > 10_000) this.forgetFull(now);
        this.held.set(conversation, { at: now + wait, size: group.length });
      }
      waits.set(wait, [...(waits.get(wait) ?? []), ...group]);
    }
    return waits;
  }

  private promise(id: string, at: number): void {
    if (this.promised.size > 100_000) this.promised.clear();
    this.promised.set(id, at);
  }

  /** Takes a token now if every bucket has one (and no platform said wait); false leaves them untouched. */
  tryTake(keys: PaceKeys): boolean {
    const now = this.clock();
    if (this.pausedUntil(keys) > now) return false;
    const buckets = keys.map(([key, rule]) => this.refill(key, rule, now));
    if (buckets.some((b) => b.tokens < 1)) return false;
    for (const b of buckets) b.tokens -= 1;
    return true;
  }

  /**
   * How long a platform's "slow down" still holds for these keys (0: it does not). Messages `ids`, sent back
   * until then, go at the end of the pause without taking another token (their slot was taken already).
   */
  pausedFor(keys: PaceKeys, ids: string[]): number {
    const now = this.clock();
    const until = this.pausedUntil(keys);
    if (until <= now) return 0;
    for (const id of ids) this.promise(id, until);
    return until - now;
  }

  private take(keys: PaceKeys, now: number): number {
    let wait = 0;
    for (const [key, rule] of keys) {
      const bucket = this.refill(key, rule, now);
      bucket.tokens -= 1;
      if (bucket.tokens < 0) wait = Math.max(wait, (-bucket.tokens / rule.perSecond) * 1000);
    }
    return wait;
  }

  /** The platform said wait `ms` for this conversation. */
  pause(keys: PaceKeys, ms: number): void {
    const now = this.clock();
    for (const [key, rule] of keys) {
      this.paused.set(key, Math.max(this.paused.get(key) ?? 0, now + ms));
      const bucket = this.refill(key, rule, now);
      bucket.tokens = Math.min(bucket.tokens, -(ms / 1000) * rule.perSecond);
    }
  }

  private pausedUntil(keys: PaceKeys): number {
    return Math.max(0, ...keys.map(([key]) => this.paused.get(key) ?? 0));
  }

  private refill(key: string, rule: PaceRule, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size > 10_000) this.forgetFull(now);
      bucket = { tokens: rule.burst, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(rule.burst, bucket.tokens + ((now - bucket.at) / 1000) * rule.perSecond);
    bucket.at = now;
    return bucket;
  }

  /** Buckets idle long enough to be full again carry no information. */
  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) if (now - bucket.at > 60_000) this.buckets.delete(key);
    for (const [key, until] of this.paused) if (until < now) this.paused.delete(key);
    for (const [key, slot] of this.held) if (slot.at < now) this.held.delete(key);
  }
}
