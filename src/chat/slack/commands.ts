import type { App, SlashCommand } from "@slack/bolt";
import { type CommandPlace, isAgentCommand, runAgentCommand } from "../agentCommands.js";
import { answerTicketQuery, ticketLine } from "../ticketAnswers.js";
import { ticketHelp, unknownSeverityText } from "../ticketCommand.js";
import { clip, limits, slackAnswers } from "./blocks.js";
import type { WebClient } from "./client.js";
import { actorFor, failureText, type HandlerDeps, workspaceOf } from "./handlerDeps.js";
import { pendingTicketOf, readTicketCommand } from "./pending.js";
import { ticketCardBlocks } from "./render.js";
import { createTicketModal, noticeModal } from "./views.js";

/**
 * `/ticket [severity] summary…` opens a ticket at once; `/ticket` alone opens the form; `list`, `142`,
 * `help`. A new ticket is written down (a pending row) before the ack and nothing else is done before it,
 * so an acknowledged `/ticket` is never lost and the ack never waits behind other work; the intake worker
 * opens it and the answer comes ephemerally through the response_url.
 */
export function registerTicketCommand(app: App, deps: HandlerDeps, name = "/ticket"): void {
  app.command(name, async ({ command, ack, respond, client, context }) => {
    const parsed = readTicketCommand(command.text, deps.policy);
    // Replays are dropped here, not in the request filter, so a new ticket is claimed and written down in
    // one statement (Socket Mode has no filter, and no key: Slack does not replay over a socket).
    const claimKey = typeof context.commandKey === "string" ? context.commandKey : undefined;
    if (parsed.kind === "help")
      return ack({ response_type: "ephemeral", text: ticketHelp(deps.policy, name) });
    if (parsed.kind === "unknownSeverity")
      return ack({ response_type: "ephemeral", text: unknownSeverityText(parsed.typed, deps.policy, name) });
    if (parsed.kind === "create") {
      const refused = deps.access.refusalAtOnce(command.channel_id);
      if (refused) return ack({ response_type: "ephemeral", text: `Nothing was opened. ${refused}` });
      const pending = pendingTicketOf(
        command,
        parsed,
        { workspaceId: workspaceOf(context).workspaceId },
        deps.now().toISO()!,
      );
      const fresh = await deps.intake.save(pending, claimKey);
      await ack();
      if (fresh) deps.intake.wake();
      return;
    }
    if (claimKey && !(await deps.intake.claim(claimKey))) {
      deps.logger.warn({ commandKey: claimKey }, "replayed Slack command ignored");
      return ack();
    }
    await ack();
    const ephemeral = (text: string, blocks?: object[]) =>
      respond({
        response_type: "ephemeral",
        text: clip(text, limits.fallbackText),
        ...(blocks ? { blocks } : {}),
      });
    try {
      if (parsed.kind === "modal")
        return await openForm(deps, client, command, workspaceOf(context).workspaceId);
      const actor = await actorFor(deps, client, context, command.user_id, command.team_id);
      if (isAgentCommand(parsed)) {
        const reply = await runAgentCommand(
          parsed,
          actor,
          deps.tickets,
          commandPlace(deps, client, command, workspaceOf(context).workspaceId),
        );
        const now = deps.now();
        const lines = (reply.tickets ?? []).map((t) => `• ${ticketLine(t, now, slackAnswers)}`);
        await ephemeral([reply.text, ...lines].join("\n"));
        return;
      }
      const answer = await answerTicketQuery(parsed, {
        tickets: deps.tickets,
        actor,
        format: slackAnswers,
        now: deps.now(),
      });
      await ephemeral(answer.text, answer.ticket ? ticketCardBlocks(answer.ticket, deps.now()) : undefined);
    } catch (thrown) {
      await ephemeral(failureText(thrown, deps.logger)).catch(() => undefined);
    }
  });
}

/** Where `/ticket` was typed: `digest post` posts there, once per trigger id, where the bot can post. */
function commandPlace(
  deps: HandlerDeps,
  client: WebClient,
  command: SlashCommand,
  workspaceId: string,
): CommandPlace {
  return {
    destination: { platform: "slack", workspaceId, channelId: command.channel_id },
    requestKey: `slack:${command.trigger_id}`,
    refusal: async () => {
      const access = await deps.access.check(client, workspaceId, command.channel_id, "digest");
      return access.ok ? undefined : access.why;
    },
  };
}

/**
 * The form opens first (trigger_id lives 3 s); then, if the bot could not follow a ticket's thread in
 * this channel, the form is replaced by what to do instead, before anyone fills it in.
 */
async function openForm(deps: HandlerDeps, client: WebClient, command: SlashCommand, workspaceId: string) {
  const opened = await client.views.open({
    trigger_id: command.trigger_id,
    view: createTicketModal(deps.policy, { channelId: command.channel_id }),
  });
  await refuseFormWhereUnfollowable(deps, client, workspaceId, command.channel_id, opened.view?.id);
}

export async function refuseFormWhereUnfollowable(
  deps: HandlerDeps,
  client: WebClient,
  workspaceId: string,
  channelId: string,
  viewId: string | undefined,
): Promise<void> {
  const access = await deps.access.check(client, workspaceId, channelId);
  if (access.ok || !viewId) return;
  await client.views.update({
    view_id: viewId,
    view: noticeModal(createTicketModal(deps.policy, { channelId }), access.why),
  });
}
