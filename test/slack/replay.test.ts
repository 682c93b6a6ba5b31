import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { USERS, eventEnvelope, recordSlack, slashCommandBody, type TestApp } from '../support/slack';
import { waitForCall } from '../support/slack-forms';
import { withTestApp } from '../support/test-app-hooks';
import { ENGINES } from '../support/test-db';

const FORM = 'application/x-www-form-urlencoded';

describe.each(ENGINES)('replayed Slack requests on %s', (engine) => {
  let t: TestApp;
  withTestApp(engine, {}, (app) => (t = app));
  afterEach(() => nock.cleanAll());

  const awayRows = async (user: string) => (await t.db.knex('away_periods').where({ user_id: user })).length;

  it('runs a correctly signed request once however often it is replayed within the 5-minute window', async () => {
    const body = new URLSearchParams(slashCommandBody('away 2026-12-07 2026-12-08', USERS.coordinator)).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await t.send(body, FORM, { timestamp }));
    // Every copy is answered 200 (Slack shows no error), only the first one does anything.
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await replies[0]!.json()).toMatchObject({ text: expect.stringContaining('You are away from Mon Dec 7') });
    expect(await replies[1]!.text()).toBe('');
    expect(await awayRows(USERS.coordinator)).toBe(1);
  });

  it('still runs the same command sent again (a new timestamp and signature), and Slack retries of an event', async () => {
    const body = new URLSearchParams(slashCommandBody('away 2026-12-14 2026-12-15', USERS.coordinator2)).toString();
    const now = Math.floor(Date.now() / 1000);
    expect((await t.send(body, FORM, { timestamp: now - 1 })).status).toBe(200);
    expect((await t.send(body, FORM, { timestamp: now })).status).toBe(200);
    expect(await awayRows(USERS.coordinator2)).toBe(2);

    // A Slack retry of an event carries a new timestamp and signature: it reaches the event dedupe, which answers it.
    const calls = recordSlack();
    const envelope = JSON.stringify(eventEnvelope({ type: 'app_home_opened', user: USERS.manager, channel: 'D0DM00001', tab: 'home' }, 'Ev0REPLAY1'));
    expect((await t.send(envelope, 'application/json', { timestamp: now - 2 })).status).toBe(200);
    expect((await t.send(envelope, 'application/json', { timestamp: now, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    // Bolt acknowledges an event before its listener runs: wait for the listener's work.
    await waitForCall(calls, (c) => c.method === 'views.publish', 'the App Home publish');
    await t.deliver();
    // Events are once-only by their event_id (the dedupe), not by the replay guard: no signature claimed, the event ran once.
    const keys = (await t.db.knex('processed_requests').select('key')).map((r: { key: string }) => r.key);
    expect(keys.filter((k) => k.startsWith(`signed:${now - 2}:`))).toEqual([]);
    expect(keys.filter((k) => k === 'event:Ev0REPLAY1')).toHaveLength(1);
    expect(calls.filter((c) => c.method === 'views.publish')).toHaveLength(1);
  });

  it('handles the request when the seen-signature store cannot be asked (the listener answers for the database)', async () => {
    const body = new URLSearchParams(slashCommandBody('away 2026-12-21 2026-12-22', USERS.manager)).toString();
    await t.db.knex.schema.renameTable('processed_requests', 'processed_requests_away');
    try {
      expect((await t.send(body, FORM)).status).toBe(200);
    } finally {
      await t.db.knex.schema.renameTable('processed_requests_away', 'processed_requests');
    }
    expect(await awayRows(USERS.manager)).toBe(1);
  });
});
