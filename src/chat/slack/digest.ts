import { coerceError } from "../../logger.js";
import { drawDigestChart } from "../../reports/chartProcess.js";
import type { Delivered, MessageBody } from "../port.js";
import { PermanentSendError, RetryableSendError } from "../port.js";
import type { WebClient } from "./client.js";
import { toSendError } from "./errors.js";
import type { SlackMessage } from "./render.js";

type Digest = MessageBody & { type: "digest" };

/** Attempts that try the chart; from the next one on, the text goes alone (and the operator is told). */
export const CHART_ATTEMPTS = 3;

/**
 * Posts the weekly digest into `channel` as one message: the chart's PNG uploaded with Slack's external
 * upload flow (files.getUploadURLExternal, the bytes to the URL it gives, files.completeUploadExternal with
 * the digest's text as the file's comment). Nothing is visible until the last call, so a send that failed
 * before it is simply tried again by the outbox: one digest, one file. When the upload is refused (no
 * `files:write`, a file Slack will not take), the chart cannot be drawn, or the upload still fails on the
 * third attempt, the text goes alone as an ordinary message and `degraded` says why.
 */
export async function postDigest(
  client: WebClient,
  channel: string,
  body: Digest,
  rendered: SlackMessage,
  attempt: number,
): Promise<Delivered> {
  if (!body.chart) return postText(client, channel, rendered);
  let png: Buffer;
  try {
    png = await drawDigestChart(body.chart);
  } catch (thrown) {
    const why = `the digest's chart could not be drawn (${coerceError(thrown).message})`;
    return { ...(await postText(client, channel, rendered)), degraded: `${why}; the text went alone` };
  }
  try {
    return await uploadChart(client, channel, png, body);
  } catch (thrown) {
    const error = toSendError(thrown);
    if (error instanceof RetryableSendError && attempt < CHART_ATTEMPTS) throw error;
    const why = `the digest's chart could not be uploaded to Slack (${error.message}${
      error instanceof PermanentSendError ? "; is files:write granted? see docs/slack.md" : ""
    })`;
    return { ...(await postText(client, channel, rendered)), degraded: `${why}; the text went alone` };
  }
}

async function uploadChart(
  client: WebClient,
  channel: string,
  png: Buffer,
  body: Digest,
): Promise<Delivered> {
  const chart = body.chart!;
  const filename = `sla-digest-${chart.week}.png`;
  const target = await client.files.getUploadURLExternal({
    filename,
    length: png.length,
    alt_text: `Chart: SLA compliance per target and plan, ${chart.policyName}, ${chart.span}, this week against the week before and the policy's goals. The numbers are in the message text.`,
  });
  if (!target.upload_url || !target.file_id)
    throw new PermanentSendError("Slack gave no upload URL for the digest's chart");
  const response = await fetch(target.upload_url, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: new Uint8Array(png),
    signal: AbortSignal.timeout(30_000),
  });
  await response.body?.cancel();
  if (response.status === 429 || response.status >= 500)
    throw new RetryableSendError(`Slack file upload HTTP ${response.status}`);
  if (!response.ok) throw new PermanentSendError(`Slack file upload HTTP ${response.status}`);
  const completed = await client.files.completeUploadExternal({
    files: [{ id: target.file_id, title: `SLA digest ${chart.week}` }],
    channel_id: channel,
    initial_comment: body.text,
  });
  // Slack answers with the file, not the message (its ts appears in the file's shares later).
  return { channelId: channel, messageId: completed.files?.[0]?.id ?? target.file_id };
}

async function postText(client: WebClient, channel: string, rendered: SlackMessage): Promise<Delivered> {
  const posted = await client.chat.postMessage({
    channel,
    ...rendered,
    unfurl_links: false,
    unfurl_media: false,
  });
  if (!posted.ts) throw new PermanentSendError("Slack accepted the message but returned no ts");
  return { channelId: posted.channel ?? channel, messageId: posted.ts };
}
