/**
 * The on-call module's public API: pure functions over schedules and ladders. Time is always an
 * argument; business hours are injected (`ctx.businessHours`); nothing here touches chat, the
 * store or the scheduler.
 */
export { describeTarget, formatOnCallNowAndNext, formatScheduleText, formatWhen } from "./format.js";
export { type ICalOptions, scheduleToICal } from "./ical.js";
export {
  type DuePage,
  type LadderIntervention,
  type LadderProgress,
  type LadderState,
  type LadderStatus,
  ladderState,
  pageKey,
  type ResolveOnCall,
} from "./ladder.js";
export { OnCallMemo } from "./memo.js";
export type * from "./model.js";
export {
  addOverride,
  cancelOverride,
  MAX_OVERRIDE_DAYS,
  type OverrideRequest,
  type OverrideResult,
  type ScheduleEditResult,
  validateOverride,
} from "./overrides.js";
export { knownPeople } from "./people.js";
export {
  findGaps,
  type Gap,
  nextShifts,
  type OnCallNow,
  type PersonShift,
  type ShiftLimit,
  whoIsOnCall,
} from "./queries.js";
export { MissingBusinessHoursError } from "./restrictions.js";
export { handoffAt, rotationShiftAt, rotationShifts } from "./rotation.js";
export {
  loadScheduleFile,
  parseInstant,
  parseSchedule,
  ScheduleFileError,
  type ScheduleProblem,
} from "./scheduleFile.js";
export { shifts } from "./timeline.js";
