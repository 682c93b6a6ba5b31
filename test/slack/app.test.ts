import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/test-db';
import { USERS, recordSlack, startTestApp, type TestApp } from '../support/slack';

describe.each(ENGINES)('Slack endpoint and health on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    t = await startTestApp(engine);
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    await t.close();
    nock.enableNetConnect();
  });

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
});
