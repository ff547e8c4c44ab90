import { DateTime } from "luxon";
import type { TicketView } from "../chat/port.js";
import type { Evaluation, Policy, TargetName } from "../policy/types.js";
import { zoneNamed } from "../zone.js";
import type { TicketState } from "./state.js";

const targetLabels: Record<TargetName, string> = {
  firstResponse: "First response",
  nextUpdate: "Next update",
  resolution: "Resolution",
};

export interface TicketIdentity {
  id: string;
  workspaceId: string;
  number: number;
  requesterId: string;
}

/** The one place a ticket becomes renderer data; every platform draws its card from this. */
export function ticketView(
  policy: Policy,
  ticket: TicketIdentity,
  state: TicketState,
  evaluation: Evaluation,
): TicketView {
  return {
    id: ticket.id,
    workspaceId: ticket.workspaceId,
    number: ticket.number,
    summary: state.summary,
    severity: state.severity,
    severityLabel: policy.severities.find((s) => s.key === state.severity)?.label ?? state.severity,
    channel: state.channel,
    plan: state.plan,
    category: state.category,
    status: state.status,
    requesterId: ticket.requesterId,
    assigneeId: state.assigneeId,
    openedAt: DateTime.fromJSDate(state.openedAt, { zone: zoneNamed(policy.zone) }).toISO() ?? "",
    zone: policy.zone,
    targets: currentTargets(evaluation).map((t) => ({
      name: t.target,
      label: targetLabels[t.target],
      due: t.due?.toISO() ?? null,
      state: t.state,
      ...(t.immediate ? { immediate: true } : {}),
      ...(t.previousDue !== undefined && t.rescheduledAt
        ? { previousDue: t.previousDue?.toISO() ?? null, rescheduledAt: t.rescheduledAt.toISO() ?? "" }
        : {}),
    })),
  };
}

/** The latest instance of each target in the current cycle (nextUpdate repeats after each update). */
function currentTargets(evaluation: Evaluation) {
  const latest = new Map<TargetName, Evaluation["targets"][number]>();
  for (const t of evaluation.targets) if (t.cycle === evaluation.cycle) latest.set(t.target, t);
  return [...latest.values()];
}

/** Time to breach: the soonest due instant of a target not yet met (ms), or Infinity when none is pending. */
export function soonestDue(view: TicketView): number {
  const pending = view.targets.filter((t) => t.due && t.state !== "met").map((t) => Date.parse(t.due!));
  return pending.length ? Math.min(...pending) : Number.POSITIVE_INFINITY;
}

/** What the ticket row's `nextDueAt` holds (the queue's order): null when resolved or closed or none pending. */
export function nextDueAt(view: TicketView): Date | null {
  if (!["open", "responded", "waiting"].includes(view.status)) return null;
  const due = soonestDue(view);
  return Number.isFinite(due) ? new Date(due) : null;
}
