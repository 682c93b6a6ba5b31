/**
 * A database that stops taking writes (a read-only or full SQLite file, a read-only
 * PostgreSQL) must not kill CareBridge: the outbox poll keeps running, intake answers 503,
 * a Slack click is told to try again, /healthz says the database fails, the outage is
 * logged once, and everything works again when the database does.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS, BLOCKS, VIEWS } from '../../src/slack/ids';
import { DATABASE_UNAVAILABLE } from '../../src/slack/listeners/database-guard';
import { captureLogs } from '../support/log-capture';
import { coordinator, triggerEvent } from '../support/services';
import { USERS, blockActionPayload, recordSlack, viewSubmissionPayload, type TestApp } from '../support/slack';
import { form, stateValues, waitForCall } from '../support/slack-forms';
import { withTestApp } from '../support/test-app-hooks';
import { ENGINES } from '../support/test-db';

const INTAKE_TOKEN = 'outage-test-intake-token-0123456789';

describe.each(ENGINES)('a database that refuses writes, on %s', (engine) => {
  let t: TestApp;
  const { logger, lines } = captureLogs('info');
  withTestApp(engine, { config: { INTAKE_TOKEN }, logger }, (app) => (t = app));
  afterEach(() => nock.cleanAll());

  /** SQLite: the one connection turns query-only. PostgreSQL: the schema's tables stop taking writes. */
  async function refuseWrites(on: boolean): Promise<void> {
    if (engine === 'sqlite') {
      await t.db.knex.raw(`PRAGMA query_only = ${on ? 1 : 0}`);
      return;
    }
    const tables = ['cases', 'case_events', 'outbox', 'heartbeat', 'processed_requests', 'notes'];
    for (const table of tables) {
      if (on) await t.db.knex.raw(`CREATE TRIGGER cb_read_only BEFORE INSERT OR UPDATE OR DELETE ON ${table} EXECUTE FUNCTION cb_read_only()`);
      else await t.db.knex.raw(`DROP TRIGGER cb_read_only ON ${table}`);
    }
  }

  const intake = (externalId: string) =>
    fetch(`http://127.0.0.1:${t.port}/intake/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId, trigger: 'new_referral', occurredAt: '2026-11-25T09:00:00-05:00', patient: { mrn: 'MRN-77120', name: 'Ottilie Brandvold' } }),
    });
  const healthz = async () => {
    const res = await fetch(`http://127.0.0.1:${t.port}/healthz`);
    return { status: res.status, body: (await res.json()) as { database: { ok: boolean; error?: string } } };
  };

  it('keeps serving: 503 for intake, "try again" in Slack, /healthz failing, one log line; then recovers by itself', async () => {
    if (engine === 'postgres') {
      // A read-only PostgreSQL answers writes with SQLSTATE 25006, as this trigger does.
      await t.db.knex.raw(`CREATE OR REPLACE FUNCTION cb_read_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'read-only' USING ERRCODE = '25006'; END $$ LANGUAGE plpgsql`);
    }
    const calls = recordSlack();
    const { case: c } = await t.careBridge.cases.openCase(triggerEvent());
    t.careBridge.dispatcher.start(20);
    expect((await healthz()).status).toBe(200);

    await refuseWrites(true);
    try {
      await t.careBridge.cases.openCase(triggerEvent({ externalId: 'ignored' })).catch(() => undefined);
      // Intake: 503 with Retry-After, nothing saved.
      const refused = await intake('EXT-OUTAGE-1');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('30');
      // A Slack click: acknowledged, then told privately to try again.
      await t.interaction(blockActionPayload({ userId: USERS.coordinator, actionId: ACTIONS.caseClaim, value: String(c.id), channel: 'C0COORD01' }));
      const told = await waitForCall(calls, (x) => x.method === 'chat.postEphemeral' && x.body.text === DATABASE_UNAVAILABLE);
      expect(told.body.user).toBe(USERS.coordinator);
      // A modal submission: the modal stays open with the notice on its first input.
      const submitted = await t.interaction(
        viewSubmissionPayload({
          userId: USERS.manager,
          callbackId: VIEWS.close,
          privateMetadata: JSON.stringify({ caseId: c.id }),
          values: stateValues({ [BLOCKS.closeOutcome]: form.select('not_needed'), [BLOCKS.closeReason]: form.text('Duplicate'), [BLOCKS.closeLoop]: form.radio(null) }),
        }),
      );
      expect(await submitted.json()).toEqual({ response_action: 'errors', errors: { [BLOCKS.closeOutcome]: DATABASE_UNAVAILABLE } });
      // Readiness is a write, so it fails while reads still work.
      const failing = await healthz();
      expect(failing.status).toBe(503);
      expect(failing.body.database.ok).toBe(false);
      // The outbox keeps polling through all of this without taking the process down.
      for (let i = 0; i < 5; i++) await t.careBridge.dispatcher.kick();
    } finally {
      await refuseWrites(false);
    }

    expect((await healthz()).status).toBe(200);
    expect((await intake('EXT-OUTAGE-1')).status).toBe(201);
    await t.careBridge.dispatcher.kick();
    expect((await t.careBridge.cases.claim(c.id, coordinator(USERS.coordinator))).ok).toBe(true);
    const outage = lines.filter((l) => l.includes('the database is failing'));
    expect(outage).toHaveLength(1);
    expect(lines.filter((l) => l.includes('the database is answering again'))).toHaveLength(1);
    await t.careBridge.dispatcher.stop();
  });
});
