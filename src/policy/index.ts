/** The policy engine: pure functions from a policy and a ticket's history to deadlines and actions. */
export {
  addBusinessTime,
  businessTimeBetween,
  isOpen,
  type OpenInterval,
  openIntervals,
} from "./business-time.js";
export { type BusinessCalendar, type CalendarSpec, createCalendar, type TimeWindow } from "./calendar.js";
export { type Deadline, parseDeadline, parseSpan, type Span } from "./duration.js";
export { evaluate } from "./evaluate.js";
export { UnknownFactError, validateFacts, validKeys } from "./facts.js";
export { loadPolicyFile, PolicyError, parseCalendar, parsePolicy } from "./load.js";
export { policySchema } from "./schema.js";
export { type SimulatedDeadline, type Simulation, simulate } from "./simulate.js";
export type {
  EscalationAction,
  Evaluation,
  Labelled,
  PlannedAction,
  Policy,
  PolicyEvent,
  TargetName,
  TargetState,
  TargetStatus,
  TicketFacts,
  TicketHistory,
} from "./types.js";
