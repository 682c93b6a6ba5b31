/**
 * The fault test: PostgreSQL disappears for 30 seconds under a steady stream of intake
 * events and Slack note submissions. CareBridge stays up; during the outage intake answers
 * 503 and Slack "try again"; afterwards every accepted event and note is present exactly
 * once (the refused ones, sent again, too), the outbox drains, and every card is current.
 * The database is cut by a TCP proxy in front of it, never by stopping the server.
 */
import nock from 'nock';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCareBridge, type CareBridge } from '../../src/main';
import { openDatabase, type Database } from '../../src/store/db';
import { VIEWS } from '../../src/slack/ids';
import { DATABASE_UNAVAILABLE } from '../../src/slack/listeners/database-guard';
import { captureLogs } from '../support/log-capture';
import { coordinator, triggerEvent } from '../support/services';
import { BOT_USER_ID, USERS, recordSlack, slackSignature, testConfig, viewSubmissionPayload } from '../support/slack';
import { noteForm } from '../support/slack-forms';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

const OUTAGE_MS = Number(process.env.CAREBRIDGE_OUTAGE_MS ?? 30_000);
const INTAKE_TOKEN = 'outage-fault-test-intake-token-0123456789';
const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)(`PostgreSQL gone for ${OUTAGE_MS / 1000} s under load`, () => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let proxied: Database;
  let careBridge: CareBridge;
  let port: number;
  const { logger, lines } = captureLogs('info');

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    testDb = await createTestDatabase('postgres');
    const schema = (await testDb.knex.raw('select current_schema() as s')).rows[0].s as string;
    const target = new URL(url!);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const proxyPort = await proxy.listen();
    target.host = `127.0.0.1:${proxyPort}`;
    proxied = openDatabase(target.toString(), { schema, timeouts: { connectMs: 1_000, acquireMs: 1_000, statementMs: 2_000 } });
    careBridge = await createCareBridge(testConfig({ INTAKE_TOKEN }), { logger, db: proxied, botUserId: BOT_USER_ID, botId: 'B0BOT0001' });
    port = ((await careBridge.slack.listen(0)).address() as AddressInfo).port;
    careBridge.dispatcher.start(200);
  });
  afterAll(async () => {
    await careBridge.dispatcher.stop();
    await careBridge.slack.stop();
    await proxied.close().catch(() => undefined);
    await proxy.close();
    await testDb.destroy();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const intake = (externalId: string) =>
    fetch(`http://127.0.0.1:${port}/intake/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId, trigger: 'new_referral', occurredAt: new Date().toISOString(), patient: { mrn: `MRN-${externalId}`, name: 'Ingrid Halvorsen' } }),
    }).then((r) => r.status);

  const note = async (caseId: number, n: number): Promise<'saved' | 'try_again' | string> => {
    const body = `payload=${encodeURIComponent(
      JSON.stringify(
        viewSubmissionPayload({
          userId: USERS.coordinator,
          callbackId: VIEWS.note,
          viewId: `V0OUTAGE${n}`,
          privateMetadata: JSON.stringify({ caseId }),
          values: noteForm({ nextAction: `Outage note ${n}`, targetDate: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) }),
        }),
      ),
    )}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(body, timestamp) },
      body,
    });
    const text = await res.text();
    if (res.status === 200 && text === '') return 'saved';
    if (text.includes(DATABASE_UNAVAILABLE)) return 'try_again';
    return `${res.status} ${text.slice(0, 200)}`;
  };

  it('stays up, answers 503 and "try again" during the outage, and loses or doubles nothing', { timeout: OUTAGE_MS + 90_000 }, async () => {
    const calls = recordSlack();
    const { case: c } = await careBridge.cases.openCase(triggerEvent({ externalId: 'EXT-OUTAGE-BASE', occurredAt: new Date() }));
    await careBridge.cases.claim(c.id, coordinator(USERS.coordinator));
    const accepted = new Set<string>();
    const refused: string[] = [];
    const saved: number[] = [];
    const unsaved: number[] = [];
    const odd: string[] = [];
    let n = 0;
    const traffic = async (until: number) => {
      while (Date.now() < until) {
        const i = ++n;
        const [status, noted] = await Promise.all([intake(`EXT-OUTAGE-${i}`), note(c.id, i)]);
        if (status === 201) accepted.add(`EXT-OUTAGE-${i}`);
        else if (status === 503) refused.push(`EXT-OUTAGE-${i}`);
        else odd.push(`intake ${status}`);
        if (noted === 'saved') saved.push(i);
        else if (noted === 'try_again') unsaved.push(i);
        else odd.push(`note ${noted}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    await traffic(Date.now() + 2_000);
    const beforeOutage = accepted.size;
    proxy.disconnect();
    await traffic(Date.now() + OUTAGE_MS);
    const healthDuring = (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
    proxy.reconnect();
    await traffic(Date.now() + 4_000);

    expect(odd).toEqual([]);
    expect(beforeOutage).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(unsaved.length).toBeGreaterThan(0);
    expect(healthDuring).toBe(503);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    // The sender sends the refused events again: each is taken once.
    for (const externalId of refused) expect(await intake(externalId)).toBe(201);
    const rows = await testDb.knex('cases').whereNot('external_id', 'EXT-OUTAGE-BASE').select('external_id');
    const ids = rows.map((r: { external_id: string }) => r.external_id).sort();
    expect(ids).toEqual([...accepted, ...refused].sort());
    expect(new Set(ids).size).toBe(ids.length);

    // Every note answered "saved" is there once; none answered "try again" is.
    const notes = (await testDb.knex('notes').where({ case_id: c.id }).select('next_action')).map((r: { next_action: string }) => r.next_action);
    expect(notes.sort()).toEqual(saved.map((i) => `Outage note ${i}`).sort());

    // The outbox drains and each case's card shows it as it is now.
    const undelivered = async () => Number((await testDb.knex('outbox').whereNull('delivered_at').count<{ n: number }[]>('* as n'))[0]!.n);
    const deadline = Date.now() + 30_000;
    while ((await undelivered()) > 0 && Date.now() < deadline) {
      await careBridge.dispatcher.kick();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await undelivered()).toBe(0);
    const card = calls.filter((x) => (x.method === 'chat.update' || x.method === 'chat.postMessage') && JSON.stringify(x.body).includes(c.number)).at(-1)!;
    expect(JSON.stringify(card.body.blocks)).toContain('Waiting');
    const cards = new Set((await testDb.knex('slack_messages').where({ kind: 'case_card' }).select('ref')).map((r: { ref: string }) => r.ref));
    for (const row of await testDb.knex('cases').select('id')) expect(cards).toContain(String(row.id));

    // One line when it went, one when it came back.
    expect(lines.filter((l) => l.includes('the database is failing'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('the database is answering again'))).toHaveLength(1);
  });
});
