import type { DateTime } from "luxon";
import { formatWhen, type Schedule } from "../oncall/index.js";
import type { OncallDirectory } from "./directory.js";
import { parseChatTime, timeExamples } from "./parseTime.js";
import { mention, renderNowAndNext, renderSchedule } from "./render.js";

/** Who asked, in which zone, at what instant; the adapter fills it from the platform's payload. */
export interface OncallCommandContext {
  /** The asker's chat user id; recorded as the cover's author and meant by `me`. */
  asker: string;
  /** Whether the asker is on the support team (the adapter's agent check); see `mayChangeCovers`. */
  askerIsAgent: boolean;
  /** The asker's IANA zone (Slack's user `tz`); an unknown zone falls back to the schedule's. */
  zone: string;
  now: DateTime;
  directory: OncallDirectory;
  /** How the adapter names the command in help texts. */
  command?: string;
}

export const SCHEDULE_DAYS = 14;

/** The `/oncall` verbs that change who gets paged. */
const COVER_CHANGES = new Set(["override", "cover", "cancel"]);

/**
 * The on-call permission rule, one for every platform: covers change who gets paged, so only the support
 * team may add or cancel them; anyone may ask who is on call, the schedule and the covers ahead.
 */
export function mayChangeCovers(asker: { isAgent: boolean }): boolean {
  return asker.isAgent;
}

export const COVERS_REFUSED = "Only the support team can change the on-call schedule.";

export function oncallHelp(command = "/oncall"): string {
  return [
    `*${command}* — who is on call, and covering for someone`,
    `• \`${command}\` shows who is on call now and next`,
    `• \`${command} schedule\` shows the next ${SCHEDULE_DAYS} days in your time zone`,
    `• \`${command} override @dana until Sunday 18:00\` puts @dana on call from now until then`,
    `  (also \`from tomorrow 08:00 until +8h\`, \`until 2026-11-29 18:00\`; add \`on <schedule>\` if @dana is on several)`,
    `• \`${command} covers\` lists the covers ahead; \`${command} cancel 12\` cancels cover #12`,
  ].join("\n");
}

/** `/oncall …` on any platform: returns the reply text (markdown with `<@id>` mentions). */
/**
 * Answers `/oncall …` for a person (in their zone) at an instant, in the platform's markup; whether they may
 * change covers is the on-call layer's rule (`mayChangeCovers`), told whether the asker is an agent.
 */
export type OncallCommand = (
  text: string,
  asker: string,
  zone: string,
  now: DateTime,
  askerIsAgent: boolean,
) => Promise<string>;

export async function handleOncallCommand(text: string, ctx: OncallCommandContext): Promise<string> {
  const command = ctx.command ?? "/oncall";
  const trimmed = text.trim().replace(/\s+/g, " ");
  const [word = "", ...rest] = trimmed.split(" ");
  const verb = word.toLowerCase();
  const zone = ctx.now.setZone(ctx.zone).isValid ? ctx.zone : (ctx.directory.schedules()[0]?.zone ?? "UTC");
  if (verb === "" || verb === "now") return nowAndNext(ctx, zone, rest[0]);
  if (verb === "help" || verb === "?") return oncallHelp(command);
  if (COVER_CHANGES.has(verb) && !mayChangeCovers({ isAgent: ctx.askerIsAgent })) return COVERS_REFUSED;
  if (verb === "schedule") return schedule(ctx, zone, rest[0]);
  if (verb === "override" || verb === "cover") return override(rest.join(" "), ctx, zone, command);
  if (verb === "covers") return covers(ctx, zone, command);
  if (verb === "cancel") return cancel(rest[0], ctx, zone, command);
  if (ctx.directory.schedule(word)) return nowAndNext(ctx, zone, word);
  return `I don't know \`${command} ${trimmed}\`.\n${oncallHelp(command)}`;
}

function pick(ctx: OncallCommandContext, id: string | undefined): Schedule[] | string {
  const all = ctx.directory.schedules();
  if (!id) return all.length > 0 ? all : "No on-call schedules are set up (see policies/oncall).";
  const one = ctx.directory.schedule(id);
  return one ? [one] : `There is no on-call schedule "${id}". Schedules: ${all.map((s) => s.id).join(", ")}.`;
}

function nowAndNext(ctx: OncallCommandContext, zone: string, id?: string): string {
  const schedules = pick(ctx, id);
  if (typeof schedules === "string") return schedules;
  return schedules.map((s) => renderNowAndNext(s, ctx.now, ctx.directory.context, zone)).join("\n\n");
}

function schedule(ctx: OncallCommandContext, zone: string, id?: string): string {
  const schedules = pick(ctx, id);
  if (typeof schedules === "string") return schedules;
  const to = ctx.now.plus({ days: SCHEDULE_DAYS });
  return schedules.map((s) => renderSchedule(s, ctx.now, to, ctx.directory.context, zone)).join("\n\n");
}

/** `<@U123>`, `<@U123|dana>`, `@dana`, `dana`, `me` → a person id. */
export function personOf(token: string, asker: string): string {
  const slack = /^<@([^|>]+)(?:\|[^>]*)?>$/.exec(token);
  if (slack) return slack[1]!;
  const plain = token.replace(/^@/, "");
  return plain.toLowerCase() === "me" ? asker : plain;
}

const OVERRIDE = /^(\S+)(?: on (\S+))?(?: from (.+?))? until (.+)$/i;

async function override(args: string, ctx: OncallCommandContext, zone: string, command: string) {
  const match = OVERRIDE.exec(args);
  if (!match) {
    return `Say who covers and until when, e.g. \`${command} override @dana until Sunday 18:00\`. ${timeExamples(zone)}`;
  }
  const [, who, scheduleId, fromText, untilText] = match;
  const end = parseChatTime(untilText!, ctx.now, zone);
  if (!end.ok) return end.error;
  const start = fromText ? parseChatTime(fromText, ctx.now, zone) : null;
  if (start && !start.ok) return start.error;
  const result = await ctx.directory.addOverride(
    {
      person: personOf(who!, ctx.asker),
      end: end.at,
      by: ctx.asker,
      zone,
      ...(scheduleId ? { scheduleId } : {}),
      ...(start ? { start: start.at } : {}),
    },
    ctx.now,
  );
  if (!result.ok) return result.error;
  const { cover, schedule } = result;
  const span = `from ${formatWhen(cover.start, zone)} until ${formatWhen(cover.end, zone)}`;
  const undo = `\`${command} cancel ${cover.id}\` undoes it`;
  return `✅ ${mention({ kind: "person", person: cover.person })} covers ${schedule.name} ${span} (cover #${cover.id}; ${undo}).`;
}

function covers(ctx: OncallCommandContext, zone: string, command: string): string {
  const ahead = ctx.directory.covers(ctx.now);
  if (ahead.length === 0)
    return `No covers ahead. Add one with \`${command} override @dana until Sunday 18:00\`.`;
  const names = new Map(ctx.directory.schedules().map((s) => [s.id, s.name]));
  const lines = ahead.map((c) => {
    const span = `${formatWhen(c.start, zone)} → ${formatWhen(c.end, zone)}`;
    return `• #${c.id} ${mention({ kind: "person", person: c.person })} on ${names.get(c.scheduleId)}, ${span} (by <@${c.createdBy}>)`;
  });
  return ["Covers ahead:", ...lines].join("\n");
}

async function cancel(id: string | undefined, ctx: OncallCommandContext, zone: string, command: string) {
  if (!id) return `Say which cover, e.g. \`${command} cancel 12\`; \`${command} covers\` lists them.`;
  const result = await ctx.directory.cancelOverride(id, ctx.now);
  if (!result.ok) return result.error;
  const who = mention({ kind: "person", person: result.cover.person });
  return result.effect === "removed"
    ? `Cancelled cover #${result.cover.id}: ${who} will not cover.`
    : `Cover #${result.cover.id} ended: ${who} was covering until ${formatWhen(result.cover.end, zone)}.`;
}
