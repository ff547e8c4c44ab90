import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.js";
import { readSetting, settleSetting } from "./overrideStore.js";

/**
 * Calendar feeds are fetched by Google Calendar and Outlook without any login, so the URL itself is
 * the credential: an HMAC-SHA256 of the feed's identity under a secret only the service knows.
 * Rotating the secret (a new ESCALATOR_SECRET, or deleting the stored setting) revokes every feed URL.
 */

export const FEED_SECRET_KEY = "oncall.feedSecret";

const envSecretSchema = z
  .string()
  .trim()
  .min(16, "ESCALATOR_SECRET must be at least 16 characters (e.g. `openssl rand -base64 32`)");

export class FeedSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FeedSecretError";
  }
}

/** Which ESCALATOR_SECRET the deployment uses (a SHA-256 fingerprint, never the secret itself). */
export const FEED_SECRET_FINGERPRINT_KEY = "oncall.feedSecret.envSha256";

/**
 * One secret per deployment, whatever each process was given: `ESCALATOR_SECRET` when set (its fingerprint
 * is stored, and a replica or CLI given another value, or none, refuses to start instead of signing URLs
 * the others reject); otherwise one generated on first use and stored in the database, so every replica
 * and every restart signs the same URLs.
 */
export async function resolveFeedSecret(options: {
  envSecret?: string | undefined;
  prisma?: PrismaClient;
}): Promise<string> {
  const { prisma } = options;
  if (options.envSecret?.trim()) {
    const parsed = envSecretSchema.safeParse(options.envSecret);
    if (!parsed.success) throw new FeedSecretError(parsed.error.issues[0]!.message);
    if (prisma) await checkSameEnvSecret(prisma, parsed.data);
    return parsed.data;
  }
  if (!prisma) {
    throw new FeedSecretError("Calendar feed URLs need ESCALATOR_SECRET or the database (which stores one).");
  }
  if (await readSetting(prisma, FEED_SECRET_FINGERPRINT_KEY)) {
    throw new FeedSecretError(
      "ESCALATOR_SECRET is not set here, but this deployment signs calendar feeds with it: give every replica and the CLI the same ESCALATOR_SECRET",
    );
  }
  const stored = await readSetting(prisma, FEED_SECRET_KEY);
  if (stored) return stored;
  return settleSetting(prisma, FEED_SECRET_KEY, randomBytes(32).toString("base64url"));
}

async function checkSameEnvSecret(prisma: PrismaClient, secret: string): Promise<void> {
  const mine = createHash("sha256").update(secret).digest("hex");
  const deployed = await settleSetting(prisma, FEED_SECRET_FINGERPRINT_KEY, mine);
  if (deployed !== mine) {
    throw new FeedSecretError(
      "ESCALATOR_SECRET differs from the one this deployment already uses (another replica's): give every replica and the CLI the same value, or delete the setting oncall.feedSecret.envSha256 to rotate it",
    );
  }
}

/** One schedule's feed, or one person's shifts on it. */
export interface FeedIdentity {
  scheduleId: string;
  person?: string;
}

/** 43 URL-safe characters; JSON keeps "a:b" + "c" and "a" + "b:c" apart. */
export function feedToken(secret: string, feed: FeedIdentity): string {
  const identity = JSON.stringify(["oncall-feed", 1, feed.scheduleId, feed.person ?? null]);
  return createHmac("sha256", secret).update(identity).digest("base64url");
}

/** The feed whose token this is, compared in constant time; undefined for anything else. */
export function findFeed<F extends FeedIdentity>(secret: string, feeds: F[], token: string): F | undefined {
  const given = Buffer.from(token);
  return feeds.find((feed) => {
    const expected = Buffer.from(feedToken(secret, feed));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
