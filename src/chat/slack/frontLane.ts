import type { Lane, LaneKit } from "../../server/frontDoor.js";
import {
  isDirectMessage,
  pendingTicketOf,
  readTicketCommand,
  savePending,
  type Vocabulary,
} from "./pending.js";
import { signedBySlack } from "./signature.js";
import { readSlashCommand } from "./slashCommand.js";

// Runs in the front door thread (src/server/frontDoor.ts): imports nothing heavier than pg.

export interface SlackLaneOptions {
  signingSecret: string;
  /** The policy's severities (all `/ticket` reads of a policy). */
  vocabulary: Vocabulary;
  /** The command that opens tickets (`/ticket`). */
  command: string;
}

/**
 * `/ticket [severity] summary…` acknowledged in the front door thread: a signed request whose text opens a
 * ticket is written down (claim and pending row in one statement, as the service's own handler does) and
 * acknowledged with an empty 200; the service is told, and its intake worker opens the ticket and answers
 * through the response_url. Everything else — other commands, `/ticket list`, help, the form, direct
 * messages, a bad signature, a body it does not understand — is left to the service (forwarded as it came),
 * which answers it and logs what it refused. The workspace is resolved when the ticket is carried out.
 */
export function openLane(options: SlackLaneOptions, kit: LaneKit): Lane {
  return {
    path: "/slack/events",
    async answer(req, body, res) {
      if (!String(req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded"))
        return false;
      const text = body.toString("utf8");
      if (!signedBySlack(req.headers, text, options.signingSecret)) return false;
      const command = readSlashCommand(text);
      if (command?.command !== options.command || isDirectMessage(command.channel_id)) return false;
      const parsed = readTicketCommand(command.text, options.vocabulary);
      if (parsed.kind !== "create") return false;
      const team = {
        teamId: command.team_id,
        enterpriseId: command.enterprise_id,
        isEnterpriseInstall: command.is_enterprise_install === "true",
      };
      const pending = pendingTicketOf(command, parsed, { team }, new Date().toISOString());
      const fresh = await savePending(kit.intake, pending, command.key);
      res.writeHead(200).end();
      if (fresh) kit.note({ kind: "queued", platform: "slack" });
      else kit.logger.warn({ commandKey: command.key }, "replayed Slack command ignored");
      return true;
    },
  };
}
