/**
 * A database server that accepts connections and never answers: every wait is bounded.
 * /healthz answers within its 1-second deadline, intake answers 503 once the connect
 * timeout passes, and a Slack click is acknowledged and then told to try again.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock';
import { createCareBridge, type CareBridge } from '../../src/main';
import { openDatabase } from '../../src/store/db';
import { ACTIONS } from '../../src/slack/ids';
import { DATABASE_UNAVAILABLE } from '../../src/slack/listeners/database-guard';
import { captureLogs } from '../support/log-capture';
import { BOT_USER_ID, USERS, blockActionPayload, recordSlack, slackSignature, testConfig } from '../support/slack';
import { waitForCall } from '../support/slack-forms';

const INTAKE_TOKEN = 'hanging-db-test-intake-token-0123456789';

describe('a database that never answers', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let careBridge: CareBridge;
  let port: number;
  const { logger, lines } = captureLogs('info');

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    // Takes every connection and says nothing, like a PostgreSQL stuck behind a dead disk.
    silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const db = openDatabase(`postgres://postgres@127.0.0.1:${(silent.address() as AddressInfo).port}/test`, {
      timeouts: { connectMs: 1_500, acquireMs: 1_500, statementMs: 1_500 },
    });
    careBridge = await createCareBridge(testConfig({ INTAKE_TOKEN }), { clock: new FixedClock('2026-11-25T10:00:00-05:00'), logger, db, botUserId: BOT_USER_ID, botId: 'B0BOT0001' });
    port = ((await careBridge.slack.listen(0)).address() as AddressInfo).port;
  });
  afterAll(async () => {
    await careBridge.slack.stop();
    await careBridge.db.close().catch(() => undefined);
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
    nock.enableNetConnect();
  });

  it('/healthz says so within its deadline instead of hanging', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'failing', database: { ok: false, error: 'no answer within 1 s' } });
  });

  it('intake answers 503 with Retry-After once the connect timeout passes', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/intake/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId: 'EXT-HANG-1', trigger: 'new_referral', occurredAt: '2026-11-25T09:00:00-05:00', patient: { mrn: 'MRN-88301', name: 'Ansel Vickery' } }),
    });
    expect(res.status, lines.join('\n')).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
  });

  it('acknowledges a Slack click at once and then tells the user to try again', async () => {
    const calls = recordSlack();
    const body = `payload=${encodeURIComponent(JSON.stringify(blockActionPayload({ userId: USERS.coordinator, actionId: ACTIONS.caseClaim, value: '1', channel: 'C0COORD01' })))}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(body, timestamp) },
      body,
    });
    expect(res.status).toBe(200);
    const told = await waitForCall(calls, (x) => x.method === 'chat.postEphemeral');
    expect(told.body).toMatchObject({ user: USERS.coordinator, text: DATABASE_UNAVAILABLE });
    expect(lines.filter((l) => l.includes('the database is failing'))).toHaveLength(1);
  });
});
