import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { botScopes } from "../../../src/chat/slack/app.js";
import { actionIds } from "../../../src/chat/slack/render.js";
import { createFromMessageId } from "../../../src/chat/slack/shortcut.js";
import { newTicketShortcutId } from "../../../src/chat/slack/waysIn.js";

const read = (file: string) => parse(readFileSync(file, "utf8"));

describe("the Slack manifests", () => {
  for (const file of ["manifests/slack.yaml", "manifests/slack-socket.yaml"]) {
    it(`${file} asks for the scopes, command, shortcut and events the app uses`, () => {
      const m = read(file);
      expect(m.oauth_config.scopes.bot).toEqual(botScopes);
      expect(m.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([
        "/ticket",
        "/oncall",
      ]);
      // Escaped mentions carry user ids, which the people file resolves.
      expect(m.features.slash_commands[1].should_escape).toBe(true);
      expect(m.features.shortcuts[0]).toMatchObject({ type: "message", callback_id: createFromMessageId });
      expect(m.features.shortcuts[1]).toMatchObject({ type: "global", callback_id: newTicketShortcutId });
      expect(m.features.app_home.home_tab_enabled).toBe(true);
      expect(m.settings.event_subscriptions.bot_events).toEqual(
        expect.arrayContaining([
          "app_home_opened",
          "app_uninstalled",
          "tokens_revoked",
          "message.channels",
          "reaction_added",
          "app_mention",
        ]),
      );
      expect(m.display_information.name.length).toBeLessThanOrEqual(35);
      expect(m.display_information.description.length).toBeLessThanOrEqual(140);
      expect(Object.values(actionIds).every((id) => id.length <= 255)).toBe(true);
    });
  }

  it("points every HTTP request URL at /slack/events, and Socket Mode at none", () => {
    const http = read("manifests/slack.yaml");
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(http.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
    expect(http.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(http.features.slash_commands[0].url).toMatch(/\/slack\/events$/);
    expect(http.oauth_config.redirect_urls[0]).toMatch(/\/slack\/oauth_redirect$/);
    const socket = read("manifests/slack-socket.yaml");
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(socket)).not.toContain("https://");
  });
});
