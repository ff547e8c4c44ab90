import type { IncomingMessage, ServerResponse } from "node:http";
import { DateTime } from "luxon";
import { knownPeople, scheduleToICal } from "../oncall/index.js";
import { type Route, sendJson } from "../server/http.js";
import type { OncallDirectory } from "./directory.js";
import { type FeedIdentity, feedToken, findFeed } from "./feedSecret.js";

export const ICAL_PREFIX = "/oncall/ical/";

/**
 * A rolling window: a month of history (who covered last week) and a quarter ahead, which is what a
 * calendar client shows; shifts crossing the edges are served whole so their UIDs stay stable.
 */
export const FEED_WINDOW = { pastDays: 30, aheadDays: 90 };

export interface IcalFeedDeps {
  directory: OncallDirectory;
  secret: string;
  /** The HTTP edge is where the clock is read; tests pass a fixed one. */
  now?: () => DateTime;
}

export interface Feed extends FeedIdentity {
  label: string;
}

/** Every feed there is: one per schedule, and one per person on each schedule. */
export function listFeeds(directory: OncallDirectory): Feed[] {
  return directory.schedules().flatMap((schedule) => [
    { scheduleId: schedule.id, label: schedule.name },
    ...[...knownPeople(schedule)].sort().map((person) => ({
      scheduleId: schedule.id,
      person,
      label: `${schedule.name}: ${person}`,
    })),
  ]);
}

/** The subscribable URLs, for an admin (`escalator oncall ical-urls`); `baseUrl` is the public origin. */
export function feedUrls(baseUrl: string, deps: Pick<IcalFeedDeps, "directory" | "secret">) {
  const base = baseUrl.replace(/\/+$/, "");
  return listFeeds(deps.directory).map((feed) => ({
    ...feed,
    url: `${base}${ICAL_PREFIX}${feedToken(deps.secret, feed)}.ics`,
  }));
}

/** `GET /oncall/ical/<token>.ics` → text/calendar; anything else under the prefix is a plain 404. */
export function icalRoutes(deps: IcalFeedDeps): Route[] {
  return [{ method: "GET", path: `${ICAL_PREFIX}*`, handler: (req, res) => serveFeed(deps, req, res) }];
}

async function serveFeed(deps: IcalFeedDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  const token = /^([A-Za-z0-9_-]{43})\.ics$/.exec(path.slice(ICAL_PREFIX.length))?.[1];
  const feed = token ? findFeed(deps.secret, listFeeds(deps.directory), token) : undefined;
  if (!feed) return sendJson(res, 404, { error: "not found" });
  // Another replica or the CLI may have added covers since this one last looked.
  await deps.directory.refresh();
  const schedule = deps.directory.schedule(feed.scheduleId);
  if (!schedule) return sendJson(res, 404, { error: "not found" });
  const now = (deps.now ?? (() => DateTime.utc()))();
  const body = scheduleToICal(
    schedule,
    now.minus({ days: FEED_WINDOW.pastDays }),
    now.plus({ days: FEED_WINDOW.aheadDays }),
    { ...deps.directory.context, stamp: now, ...(feed.person ? { person: feed.person } : {}) },
  );
  const name = feed.person ? `${schedule.id}-${feed.person}` : schedule.id;
  res.writeHead(200, {
    "content-type": "text/calendar; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "content-disposition": `inline; filename="${name.replace(/[^A-Za-z0-9_-]/g, "_")}.ics"`,
    // Calendar clients poll (hourly at best); a short private cache spares repeated renders.
    "cache-control": "private, max-age=300",
  });
  res.end(body);
}
