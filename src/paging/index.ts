/**
 * The stateful on-call layer: schedules from YAML plus covers stored in the database, the `/oncall`
 * chat command, and the iCal feeds. The pure rules live in `src/oncall`; this folder adds the store,
 * the asker's words and times, and HTTP.
 */
export { handleOncallCommand, type OncallCommandContext, oncallHelp, personOf } from "./commands.js";
export {
  type CancelResult,
  type CoverRequest,
  type CoverResult,
  OncallDirectory,
  type OncallDirectoryOptions,
  type ScheduleGap,
  UnknownScheduleError,
} from "./directory.js";
export { FeedSecretError, feedToken, resolveFeedSecret } from "./feedSecret.js";
export {
  FEED_WINDOW,
  feedUrls,
  ICAL_PREFIX,
  type IcalFeedDeps,
  icalRoutes,
  listFeeds,
} from "./icalRoutes.js";
export type { StoredOverride } from "./overrideStore.js";
export { type ParsedTime, parseChatTime } from "./parseTime.js";
export { mention, renderGapWarning, renderNowAndNext, renderSchedule } from "./render.js";
export {
  businessHoursOf,
  DuplicateScheduleError,
  loadScheduleDir,
  type PolicyCalendars,
  policyCalendars,
} from "./scheduleDir.js";
