import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/test-db';
import { USERS, recordSlack, type TestApp } from '../support/slack';
import { withTestApp } from '../support/test-app-hooks';

const INTAKE_TOKEN = 'intake-token-0123456789abcdef';

describe.each(ENGINES)('Slack endpoint and health on %s', (engine) => {
  let t: TestApp;
  withTestApp(engine, { config: { INTAKE_TOKEN: INTAKE_TOKEN } }, (app) => (t = app));
  afterEach(() => nock.cleanAll());

  it('answers 401 to a forged signature and to a stale timestamp, changing nothing', async () => {
    recordSlack();
    const forged = await t.command('help', USERS.coordinator, { secret: 'not-the-secret-000000000000000000' });
    expect(forged.status).toBe(401);
    const stale = await t.command('help', USERS.coordinator, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(stale.status).toBe(401);
  });

  it('reports database and Slack delivery status on /healthz', async () => {
    const res = await fetch(`http://127.0.0.1:${t.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { ok: true }, slack: { ok: true, pendingDeliveries: 0 } });
  });

  it('answers 404 to unknown paths', async () => {
    expect((await fetch(`http://127.0.0.1:${t.port}/nope`)).status).toBe(404);
  });

  it('serves the intake endpoint beside Slack\'s, in HTTP mode', async () => {
    const post = (token: string) =>
      fetch(`http://127.0.0.1:${t.port}/intake/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          externalId: 'ehr-app-1',
          trigger: 'hospital_discharge',
          occurredAt: '2026-11-25T08:30:00-05:00',
          patient: { mrn: 'MRN-778812', name: 'Grace Hopper' },
        }),
      });
    expect((await post('wrong-token-0000000000000000')).status).toBe(401);
    const created = await post(INTAKE_TOKEN);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ number: expect.stringMatching(/^FU-\d+$/) });
    expect((await fetch(`http://127.0.0.1:${t.port}/intake/events`)).status).toBe(405);
  });
});
