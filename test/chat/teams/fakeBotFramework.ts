import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { closeServer, listen } from "../../../src/server/http.js";

export interface ConnectorCall {
  method: string;
  /** The conversation id, decoded ("19:abc@thread.tacv2;messageid=7"). */
  conversationId: string;
  /** The activity id in the path (reply-to or the one updated), if any. */
  activityId?: string;
  body: Record<string, unknown>;
}

/**
 * Bot Framework on a loopback port: the channel's OpenID metadata and signing keys (a test RSA key, endorsed
 * for msteams), and the Bot Connector API a stored serviceUrl points at. It records every call and answers
 * with scripted failures when told to.
 */
export class FakeBotFramework {
  readonly calls: ConnectorCall[] = [];
  private readonly failures: { status: number; headers?: Record<string, string> }[] = [];
  private readonly privateKey: KeyObject;
  private readonly jwk: Record<string, unknown>;
  private server: Server | undefined;
  private counter = 1000;
  base = "";

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.jwk = {
      ...publicKey.export({ format: "jwk" }),
      kid: "test-key",
      use: "sig",
      endorsements: ["msteams"],
    };
  }

  get openIdMetadataUrl(): string {
    return `${this.base}/openid/.well-known/openidconfiguration`;
  }
  get serviceUrl(): string {
    return `${this.base}/connector/`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      });
    });
    const port = await listen(this.server, 0, "127.0.0.1");
    this.base = `http://127.0.0.1:${port}`;
  }

  stop(): Promise<void> {
    return this.server ? closeServer(this.server) : Promise.resolve();
  }

  failNext(status: number, headers?: Record<string, string>): void {
    this.failures.push({ status, ...(headers ? { headers } : {}) });
  }

  /** An RS256 token as the Bot Framework channel signs it; claims can be overridden or removed (undefined). */
  token(claims: Record<string, unknown>): string {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const header = part({ alg: "RS256", typ: "JWT", kid: "test-key" });
    const payload = part(Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined)));
    const signature = sign("RSA-SHA256", Buffer.from(`${header}.${payload}`), this.privateKey).toString(
      "base64url",
    );
    return `${header}.${payload}.${signature}`;
  }

  private async handle(req: IncomingMessage) {
    const url = new URL(req.url ?? "/", this.base);
    if (url.pathname === "/openid/.well-known/openidconfiguration")
      return {
        status: 200,
        body: { issuer: "https://api.botframework.com", jwks_uri: `${this.base}/openid/keys` },
      };
    if (url.pathname === "/openid/keys") return { status: 200, body: { keys: [this.jwk] } };
    const match = /^\/connector\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?$/.exec(
      url.pathname,
    );
    if (!match) return { status: 404, body: { error: { code: "NotFound" } } };
    const text = await new Promise<string>((resolve) => {
      let data = "";
      req.on("data", (c) => {
        data += c;
      });
      req.on("end", () => resolve(data));
    });
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const failure = this.failures.shift();
    if (failure)
      return {
        status: failure.status,
        body: { error: { code: "Failure", message: "scripted" } },
        headers: failure.headers ?? {},
      };
    const id = String(++this.counter);
    if (!match[1]) {
      const channel = ((body.channelData as { channel?: { id?: string } })?.channel?.id ??
        "19:chat") as string;
      this.calls.push({ method: "CREATE", conversationId: channel, body });
      return { status: 201, body: { id: `${channel};messageid=${id}`, activityId: id } };
    }
    const conversationId = decodeURIComponent(match[1]);
    const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
    this.calls.push({
      method: req.method ?? "POST",
      conversationId,
      ...(activityId ? { activityId } : {}),
      body,
    });
    return { status: 200, body: { id: req.method === "PUT" ? activityId : id } };
  }
}
