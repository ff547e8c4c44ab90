import type { IncomingMessage, ServerResponse } from "node:http";
import type { CloudAdapter, TurnContext } from "botbuilder";
import { z } from "zod";
import type { Logger } from "../../logger.js";
import { type Route, sendJson } from "../../server/http.js";

const MAX_BODY_BYTES = 1_000_000;

/** Just enough of an activity to refuse it before anything runs: which tenant it comes from. */
const activityTenant = z
  .object({
    channelData: z
      .object({ tenant: z.object({ id: z.string() }).partial() })
      .partial()
      .optional(),
    conversation: z.object({ tenantId: z.string().optional() }).partial().optional(),
  })
  .passthrough();

/**
 * POST /api/messages: the body is read and parsed, activities from tenants outside the allow-list are refused
 * (403, nothing runs), and the rest go to CloudAdapter.process, which validates the Bot Framework token
 * (signature from the OpenID keys, issuer, audience = app id, serviceUrl claim = the activity's) and answers
 * invokes on the same request.
 */
export function messagesRoute(deps: {
  adapter: CloudAdapter;
  run: (context: TurnContext) => Promise<void>;
  allowedTenants: Set<string> | undefined;
  logger: Logger;
}): Route {
  return {
    method: "POST",
    path: "/api/messages",
    handler: async (req, res) => {
      const body = await readJson(req);
      if (body === undefined) return sendJson(res, 400, { error: "the body must be a JSON activity" });
      const parsed = activityTenant.safeParse(body);
      const tenant = parsed.success
        ? (parsed.data.channelData?.tenant?.id ?? parsed.data.conversation?.tenantId)
        : undefined;
      if (deps.allowedTenants && (!tenant || !deps.allowedTenants.has(tenant))) {
        deps.logger.warn({ tenant }, "Teams activity from a tenant outside TEAMS_ALLOWED_TENANTS refused");
        return sendJson(res, 403, { error: "tenant not allowed" });
      }
      await deps.adapter.process(
        { body: body as Record<string, unknown>, headers: req.headers, method: req.method ?? "POST" },
        expressLike(res) as never,
        deps.run,
      );
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The few Express-style response methods CloudAdapter.process calls, on a plain Node response. */
function expressLike(res: ServerResponse) {
  let status = 200;
  let payload: string | undefined;
  let type = "application/json; charset=utf-8";
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
    },
    send(body: unknown) {
      if (typeof body === "string") {
        payload = body;
        type = "text/plain; charset=utf-8";
      } else payload = JSON.stringify(body);
    },
    end() {
      if (res.writableEnded) return;
      res.writeHead(status, payload === undefined ? {} : { "content-type": type });
      res.end(payload);
    },
  };
}
