import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { DateTime } from "luxon";
import type { SimulatedClock } from "../../clock.js";
import { coerceError } from "../../logger.js";
import type { RunningScheduler } from "../../scheduler/runner.js";
import { TicketCommandError } from "../../tickets/errors.js";
import type { Actor, TicketService } from "../../tickets/service.js";
import { runAgentCommand } from "../agentCommands.js";
import { parseTicketCommand, ticketHelp, unknownSeverityText } from "../ticketCommand.js";
import { parseShellLine, type ShellLine, shellHelp } from "./commands.js";
import { mentions, queueLine, renderForTerminal } from "./render.js";
import { ticketFlags, ticketFormHelp } from "./ticketForm.js";

export interface ShellDeps {
  input: NodeJS.ReadableStream;
  write: (text: string) => void;
  tickets: TicketService;
  scheduler: RunningScheduler;
  clock: SimulatedClock;
  /** Moves simulated time to `to`, stopping at every instant the policy has work, so it plays out in order. */
  advanceTo: (to: DateTime) => Promise<void>;
  oncall?: (text: string, asker: Pick<Actor, "id" | "isAgent">, now: DateTime) => Promise<string>;
  prompt: boolean;
  /** The terminal to show the prompt on (interactive use only). */
  output?: NodeJS.WritableStream;
  /** The support team's channel: a copy of each card, SLA notes, escalations and internal notes. */
  triageChannel?: string;
  /** Names on the support side without an `as` (the people file's, the on-call schedules'). */
  staff?: (name: string) => boolean;
}

const workspaceId = "local";
const channelId = "support";

/**
 * The terminal chat: you are a user in #support. Every line is handled to the end (the bot's messages
 * printed) before the next is read, so a script piped to stdin reads like a conversation.
 */
export function runShell(deps: ShellDeps): Promise<void> {
  const rl = createInterface({
    input: deps.input,
    ...(deps.prompt && deps.output ? { output: deps.output, terminal: true } : { terminal: false }),
  });
  let user = "you";
  let isAgent = true;
  // Who took which side with `as`: the ticket service asks before it assigns a ticket to someone.
  const sides = new Map<string, boolean>([[user, isAgent]]);
  deps.tickets.agents.register(
    "terminal",
    async (_workspaceId, name) => sides.get(name) ?? deps.staff?.(name) ?? false,
  );
  const prompt = () => {
    if (!deps.prompt) return;
    rl.setPrompt(`${user}@#${channelId}> `);
    rl.prompt();
  };
  deps.write(
    `Escalator terminal chat — policy ${deps.tickets.policy.name}. It is ${stamp(deps.clock.now(), deps)}. Type \`help\`.`,
  );
  prompt();
  return new Promise((resolve) => {
    const queue: string[] = [];
    let busy = false;
    const drain = async () => {
      if (busy) return;
      busy = true;
      while (queue.length > 0) {
        const line = parseShellLine(queue.shift()!);
        if (line.kind === "quit") {
          busy = false;
          queue.length = 0;
          return rl.close();
        }
        if (line.kind === "as") {
          user = line.user;
          isAgent = line.role !== "customer";
          sides.set(user, isAgent);
          deps.write(`You are now @${user} (${isAgent ? "support team" : "customer"}).`);
        } else {
          await handle(line, { id: user, platform: "terminal", workspaceId, isAgent }, deps).catch((thrown) =>
            deps.write(`⚠️  ${explain(thrown)}`),
          );
        }
        prompt();
      }
      busy = false;
    };
    rl.on("line", (text) => {
      queue.push(text);
      void drain();
    });
    rl.on("close", () => {
      const finish = () => (busy ? setTimeout(finish, 20) : resolve());
      finish();
    });
  });
}

async function handle(line: ShellLine, actor: Actor, deps: ShellDeps): Promise<void> {
  switch (line.kind) {
    case "empty":
      return;
    case "error":
      return deps.write(`⚠️  ${line.message}`);
    case "help":
      return deps.write(shellHelp);
    case "ticket":
      return ticketCommand(line.text, actor, deps);
    case "oncall":
      return deps.write(
        deps.oncall ? plain(await deps.oncall(line.text, actor, deps.clock.now())) : "On-call is not set up.",
      );
    case "time":
      return timeCommand(line, deps);
    case "event": {
      await deps.tickets.record(
        { workspaceId, number: line.number },
        actor,
        line.build({
          user: actor.id,
          isAgent: actor.isAgent,
          now: deps.clock.now(),
          zone: deps.tickets.policy.zone,
        }),
      );
      return deps.scheduler.settle();
    }
    default:
      return;
  }
}

async function ticketCommand(text: string, actor: Actor, deps: ShellDeps): Promise<void> {
  const policy = deps.tickets.policy;
  const flags = ticketFlags(text);
  if ("error" in flags) return deps.write(`⚠️  ${flags.error}`);
  const command = parseTicketCommand(flags.rest, policy);
  switch (command.kind) {
    case "help":
      return deps.write(ticketHelp(policy).replaceAll("*", ""));
    case "modal":
      // The terminal's form is its flags: every field the Slack form has.
      return deps.write(ticketFormHelp(policy));
    case "unknownSeverity":
      return deps.write(`⚠️  ${unknownSeverityText(command.typed, policy)}`);
    case "list": {
      const views = await deps.tickets.list({ workspaceId, personId: actor.id });
      if (views.length === 0) return deps.write("You have no open tickets.");
      return deps.write(views.map((v) => queueLine(v, deps.clock.now())).join("\n"));
    }
    case "show": {
      // The same rule as everywhere: a customer sees only their own tickets.
      const view = await deps.tickets.viewAs({ workspaceId, number: command.number }, actor);
      const message = {
        key: "show",
        destination: { platform: "terminal" as const, workspaceId, channelId },
        body: { type: "ticketCard" as const, ticket: view },
      };
      return deps.write(renderForTerminal(message, deps.clock.now()).replace("🎫 new ticket", "🎫 ticket"));
    }
    case "create": {
      const { ticket } = await deps.tickets.create(actor, {
        summary: command.summary,
        ...(command.severity ? { severity: command.severity } : {}),
        ...flags.fields,
        home: { platform: "terminal", workspaceId, channelId },
        triageChannel: deps.triageChannel ?? null,
      });
      deps.write(`(only you) Ticket #${ticket.number} is open. Follow it in its thread.`);
      return deps.scheduler.settle();
    }
    default: {
      // `digest post` posts into #support, where you are; each line typed is its own request.
      const reply = await runAgentCommand(command, actor, deps.tickets, {
        destination: { platform: "terminal", workspaceId, channelId },
        requestKey: `terminal:${randomUUID()}`,
      });
      const lines = (reply.tickets ?? []).map((t) => `  ${queueLine(t, deps.clock.now())}`);
      deps.write([plain(reply.text), ...lines].join("\n"));
      return deps.scheduler.settle();
    }
  }
}

async function timeCommand(line: ShellLine & { kind: "time" }, deps: ShellDeps): Promise<void> {
  const now = deps.clock.now();
  if (!line.by && !line.to) return deps.write(`It is ${stamp(now, deps)}.`);
  const zone = deps.tickets.policy.zone;
  const target = line.by ? now.plus(line.by) : DateTime.fromISO(line.to!, { zone });
  if (!target.isValid)
    return deps.write(`⚠️  “${line.to}” is not a time; try \`time +2h\` or \`time 2026-11-28T22:00\`.`);
  if (target < now) return deps.write("⚠️  Time only moves forward here.");
  await deps.advanceTo(target);
  deps.write(`⏩ It is now ${stamp(deps.clock.now(), deps)}.`);
}

function stamp(t: DateTime, deps: ShellDeps): string {
  return t.setZone(deps.tickets.policy.zone).toFormat("cccc d LLLL yyyy, HH:mm ZZZZ");
}

/** Chat markdown for a terminal: mentions as @name, no bold stars. */
function plain(text: string): string {
  return mentions(text).replace(/\*([^*\n]+)\*/g, "$1");
}

function explain(thrown: unknown): string {
  if (thrown instanceof TicketCommandError) return thrown.message;
  return `Something went wrong: ${coerceError(thrown).message}`;
}
