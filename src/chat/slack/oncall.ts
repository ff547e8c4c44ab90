import type { App, Context } from "@slack/bolt";
import type { DateTime } from "luxon";
import type { Logger } from "../../logger.js";
import { coerceError } from "../../logger.js";
import type { OncallCommand } from "../../paging/commands.js";
import { clip, escapeText, limits } from "./blocks.js";
import type { WebClient } from "./client.js";
import { fromSlack } from "./text.js";

/**
 * `/oncall` (now and next), `/oncall schedule`, `/oncall override @person until <time>`: acked at once, then
 * answered ephemerally in the asker's own time zone (users.info), so "until 18:00" means their 18:00.
 */
export function registerOncallCommand(
  app: App,
  deps: {
    oncall: OncallCommand;
    now: () => DateTime;
    logger: Logger;
    defaultZone: string;
    isAgent: (client: WebClient, context: Context, userId: string) => Promise<boolean>;
  },
): void {
  app.command("/oncall", async ({ command, ack, respond, client, context }) => {
    await ack();
    try {
      // Escaped mentions (should_escape: true) keep their user id: `<@U123|dana>` → `<@U123>`, which the
      // people file resolves; the rest of the markup is read as plain words.
      const text = fromSlack(command.text, { user: (id) => `<@${id}>` });
      const isAgent = await deps.isAgent(client, context, command.user_id);
      const user = await client.users.info({ user: command.user_id }).catch(() => undefined);
      const zone = user?.user?.tz ?? deps.defaultZone;
      const reply = await deps.oncall(text, command.user_id, zone, deps.now(), isAgent);
      await respond({ response_type: "ephemeral", text: clip(replyMrkdwn(reply), limits.fallbackText) });
    } catch (thrown) {
      deps.logger.error({ err: coerceError(thrown) }, "/oncall failed");
      await respond({ response_type: "ephemeral", text: "Sorry, /oncall failed; the error is in the log." });
    }
  });
}

/**
 * The on-call reply is markdown whose only markup is mentions of user ids: everything else is escaped, so
 * `on <schedule>` in the help and anything echoed from the asker's text shows as written.
 */
export function replyMrkdwn(reply: string): string {
  return escapeText(reply).replace(/&lt;@([UW][A-Z0-9]+)&gt;/g, "<@$1>");
}
