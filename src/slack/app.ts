import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { boltLogger } from './bolt-logger';

type BoltApp = InstanceType<typeof App>;

/** A client has this long to send its request headers (Node's default is 60 s). */
export const HEADERS_TIMEOUT_MS = 15_000;
/** …and this long for the whole request, body included (Node's default is 5 minutes); then 408. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** How often Node looks for requests over those limits (its default, 30 s, would double them). */
const TIMEOUT_CHECK_MS = 2_000;

/** A plain HTTP route served beside Slack's endpoint (health, intake). */
export interface Route {
  path: string;
  methods: ('GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE')[];
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

export interface SlackApp {
  app: BoltApp;
  /** The client Bolt's listeners use: quick retries, since a user is waiting. */
  client: WebClient;
  /** The client the outbox uses: no retries of its own, the outbox schedules them. */
  deliveryClient: WebClient;
  /** Serves /slack/events (HTTP mode) and the routes on a port (0: any free port). */
  listen(port: number): Promise<Server>;
  /** Socket Mode only: opens the WebSocket to Slack. */
  connect(): Promise<void>;
  stop(): Promise<void>;
}

export interface SlackAppOptions {
  config: Config;
  logger: Logger;
  routes: Route[];
  /** Known from the start-up auth.test, so Bolt need not call it again. */
  botUserId?: string;
  botId?: string;
}

/**
 * The Bolt app in Socket Mode (SLACK_APP_TOKEN set) or HTTP mode. In both modes
 * CareBridge's own HTTP server serves the routes, so intake and /healthz work even
 * while Slack is unreachable.
 */
export function createSlackApp({ config, logger, routes, botUserId, botId }: SlackAppOptions): SlackApp {
  const clientOptions = { slackApiUrl: config.SLACK_API_URL, timeout: 10_000, logger: boltLogger(logger) };
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN!, logger: boltLogger(logger) })
    : new HTTPReceiver({
        signingSecret: config.SLACK_SIGNING_SECRET!,
        endpoints: ['/slack/events'],
        customRoutes: routes.map((r) => ({ path: r.path, method: r.methods, handler: (req, res) => serve(r, req, res, logger) })),
        logger: boltLogger(logger),
        // For the replay guard (listeners/replay-guard.ts), which runs after Bolt checked the signature.
        customPropertiesExtractor: (req) => ({
          slackSignature: req.headers['x-slack-signature'],
          slackRequestTimestamp: req.headers['x-slack-request-timestamp'],
        }),
      });
  const app = new App({
    token: config.SLACK_BOT_TOKEN,
    receiver,
    logger: boltLogger(logger),
    botUserId,
    botId,
    tokenVerificationEnabled: false,
    clientOptions: { ...clientOptions, retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000 } },
  });
  const deliveryClient = new WebClient(config.SLACK_BOT_TOKEN, { ...clientOptions, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  let server: Server | undefined;

  const ownRoutes = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((r) => r.path === path && (r.methods as string[]).includes(req.method ?? ''));
    if (!route) return false;
    serve(route, req, res, logger);
    return true;
  };

  return {
    app,
    client: app.client,
    deliveryClient,
    listen: (port) =>
      new Promise((resolve, reject) => {
        server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: TIMEOUT_CHECK_MS }, (req, res) => {
          if (socketMode) {
            if (!ownRoutes(req, res)) res.writeHead(404).end();
            return;
          }
          // Slack's endpoint and the routes; anything else is answered 404 instead of thrown.
          try {
            (receiver as InstanceType<typeof HTTPReceiver>).requestListener(req, res);
          } catch {
            if (!res.headersSent) res.writeHead(404).end();
          }
        });
        server.once('error', reject);
        server.listen(port, () => resolve(server!));
      }),
    connect: async () => {
      if (socketMode) await (receiver as InstanceType<typeof SocketModeReceiver>).client.start();
    },
    stop: async () => {
      if (socketMode) await (receiver as InstanceType<typeof SocketModeReceiver>).client.disconnect().catch(() => undefined);
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}

/** Runs a plain route; a handler that fails anyway is answered 500 and logged by kind, never left unhandled. */
function serve(route: Route, req: IncomingMessage, res: ServerResponse, logger: Logger): void {
  Promise.resolve()
    .then(() => route.handler(req, res))
    .catch((error: unknown) => {
      logger.error({ path: route.path, errorName: (error as Error)?.name }, 'an HTTP route failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'CareBridge failed to answer; try again.' }));
    });
}
