/**
 * A local stand-in for Slack's Web API, given to the app through SLACK_API_URL: every
 * method answers with `ok: true` and the fields CareBridge reads, after `latencyMs`
 * (Slack's real answers take about 150 ms; 0 measures CareBridge alone). It counts the
 * calls it answered.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BOT_USER_ID } from '../../test/support/slack-payloads';

/** A running stub of Slack's Web API. */
export interface SlackStub {
  /** The SLACK_API_URL to give the app, ending in /api/. */
  apiUrl: string;
  /** Calls answered, by Web API method. */
  calls: Map<string, number>;
  /** When (epoch ms) each message was first updated (`chat.update` answered), by its ts, since the last clear. */
  firstUpdates: Map<string, number>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part)).on('end', () => resolve(Buffer.concat(parts).toString('utf8'))).on('error', reject);
  });
}

/** A call's fields, from a form or JSON body. */
function fieldsOf(body: string, contentType: string | undefined): Record<string, unknown> {
  try {
    return contentType?.includes('json') ? (JSON.parse(body) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(body));
  } catch {
    return {};
  }
}

/** The channel a call names (posts answer with it, as Slack does). */
function channelOf(fields: Record<string, unknown>): string | undefined {
  return typeof fields.channel === 'string' ? fields.channel : typeof fields.channel_id === 'string' ? fields.channel_id : undefined;
}

/** Starts the stub on a free local port. */
export async function startSlackStub(options: { latencyMs?: number } = {}): Promise<SlackStub> {
  const latencyMs = options.latencyMs ?? 0;
  const calls = new Map<string, number>();
  const firstUpdates = new Map<string, number>();
  let ts = 1_700_000_000;
  let base = '';
  const answer = (res: ServerResponse, body: object, onSent?: () => void) => {
    const json = JSON.stringify(body);
    const send = () => {
      onSent?.();
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    };
    if (latencyMs > 0) setTimeout(send, latencyMs);
    else send();
  };
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      calls.set(method, (calls.get(method) ?? 0) + 1);
      const fields = fieldsOf(body, req.headers['content-type']);
      const channel = channelOf(fields) ?? 'D0BENCH01';
      ts += 1;
      switch (method) {
        case 'auth.test':
          return answer(res, { ok: true, user_id: BOT_USER_ID, bot_id: 'B0BOT0001', team_id: 'T0TEAM001', user: 'carebridge' });
        case 'conversations.info':
          return answer(res, { ok: true, channel: { id: channel, name: 'bench', is_member: true, is_archived: false } });
        case 'usergroups.users.list':
          return answer(res, { ok: true, users: [] });
        case 'files.getUploadURLExternal':
          return answer(res, { ok: true, upload_url: `${base}/upload`, file_id: `F0BENCH${ts}` });
        case 'files.completeUploadExternal':
          return answer(res, { ok: true, files: [{ id: `F0BENCH${ts}` }] });
        case '/upload':
          return answer(res, { ok: true });
        case 'chat.update': {
          const updated = String(fields.ts);
          return answer(res, { ok: true, channel, ts: updated }, () => {
            if (!firstUpdates.has(updated)) firstUpdates.set(updated, Date.now());
          });
        }
        default:
          return answer(res, { ok: true, channel, ts: `${ts}.000100`, message: { ts: `${ts}.000100` }, view: { id: `V0BENCH${ts}`, hash: 'h' } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${base}/api/`,
    calls,
    firstUpdates,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** "chat.update 2,000, views.publish 1,204" for a figure's note. */
export function describeCalls(calls: Map<string, number>): string {
  return [...calls].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([m, n]) => `${m} ${n.toLocaleString('en-US')}`).join(', ') || 'none';
}
