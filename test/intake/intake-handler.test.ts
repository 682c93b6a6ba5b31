import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceWorld, type ServiceWorld } from '../support/services';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';
import { TOKEN, intakeBody, startIntakeServer, type IntakeServer } from './intake-client';

describe.each(ENGINES)('POST /intake/events on %s', (engine) => {
  let db: TestDatabase;
  let w: ServiceWorld;
  let api: IntakeServer;

  beforeAll(async () => {
    // Separate connections, so concurrent posts really race in PostgreSQL.
    db = await createTestDatabase(engine, { poolMax: 20 });
    w = serviceWorld(db);
    api = await startIntakeServer(w);
  });
  afterAll(async () => {
    await api.close();
    await db.destroy();
  });

  const countCases = async () => Number((await db.knex('cases').count<{ n: number }[]>('* as n'))[0]!.n);

  it('201: opens a case in the right lane and tier, clocks from occurredAt, and queues its card', async () => {
    const body = intakeBody({ visitType: 'new_patient' });
    const reply = await api.post(body);
    expect(reply.status).toBe(201);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.body).toEqual({ caseId: expect.any(Number), number: `FU-${1000 + reply.body.caseId}` });
    const c = await w.cases.getCase(reply.body.caseId);
    expect(c).toMatchObject({ externalId: body.externalId, lane: 'missed_appointment', tier: 'urgent', state: 'open' });
    // Urgent: 4 business hours from 09:00 New York, not from when CareBridge heard of it (10:00).
    expect(c!.firstResponseDueAt.toISOString()).toBe('2026-11-25T18:00:00.000Z');
    expect(await db.knex('outbox').where({ kind: 'case_card', ref: String(c!.id) })).toHaveLength(1);
  });

  it('201: a pre-visit case is due before its appointment', async () => {
    const reply = await api.post(intakeBody({ trigger: 'appointment_scheduled', appointmentAt: '2026-11-30T09:00:00-05:00', visitType: null }));
    expect(reply.status).toBe(201);
    const c = await w.cases.getCase(reply.body.caseId);
    expect(c).toMatchObject({ lane: 'pre_visit', tier: 'high' });
    // Two business days before Monday 09:00 is Wednesday 09:00 (Thanksgiving is not a default holiday).
    expect(c!.firstResponseDueAt.getTime()).toBeLessThanOrEqual(new Date('2026-11-26T09:00:00-05:00').getTime());
  });

  it('200: a repeated externalId answers with the same case and opens nothing', async () => {
    const body = intakeBody();
    const first = await api.post(body);
    const before = await countCases();
    const again = await api.post({ ...body, details: 'sent twice' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await countCases()).toBe(before);
  });

  it('400: names every field that needs fixing and saves nothing', async () => {
    const before = await countCases();
    const reply = await api.post({ externalId: '', trigger: 'lost_luggage', occurredAt: '2026-11-25 09:00', patient: { name: 5 }, priority: 'asap', visitType: 'walk_in' });
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body.errors).sort()).toEqual(['externalId', 'occurredAt', 'patient.mrn', 'patient.name', 'priority', 'trigger', 'visitType']);
    expect(reply.body.errors['patient.mrn']).toMatch(/^required/);
    expect(reply.body.errors['patient.name']).toBe('must be text');
    expect(await countCases()).toBe(before);
  });

  it('400: refuses an occurredAt in the future or over a year back, and a pre-visit event without its appointment', async () => {
    expect((await api.post(intakeBody({ occurredAt: '2026-11-26T09:00:00-05:00' }))).body.errors).toEqual({ occurredAt: 'must not be in the future' });
    expect((await api.post(intakeBody({ occurredAt: '2025-11-01T09:00:00-05:00' }))).body.errors).toEqual({ occurredAt: 'must be within the last year' });
    const preVisit = await api.post(intakeBody({ trigger: 'appointment_scheduled' }));
    expect(preVisit).toMatchObject({ status: 400, body: { errors: { appointmentAt: expect.stringMatching(/^required/) } } });
  });

  it('400: malformed JSON, invalid UTF-8 and a non-object body', async () => {
    expect(await api.post('{"externalId": "x",')).toMatchObject({ status: 400, body: { errors: { body: 'must be valid UTF-8 JSON' } } });
    expect((await api.post(Buffer.from([0x7b, 0xff, 0x7d]))).status).toBe(400);
    expect(await api.post([intakeBody()])).toMatchObject({ status: 400, body: { errors: { body: expect.any(String) } } });
    // NUL cannot be stored by PostgreSQL: refused as a field error, not a 500.
    const nul = await api.post(intakeBody({ patient: { mrn: 'MRN1', name: 'Nul\u0000Person' } }));
    expect(nul).toMatchObject({ status: 400, body: { errors: { 'patient.name': expect.any(String) } } });
  });

  it('401: missing, wrong or non-bearer token', async () => {
    for (const authorization of ['', 'Bearer wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`]) {
      const reply = await api.post(intakeBody(), { headers: { authorization } });
      expect(reply.status, authorization).toBe(401);
      expect(reply.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect((await api.post(intakeBody(), { headers: { authorization: `bearer  ${TOKEN}` } })).status).toBe(201);
  });

  it('404 when INTAKE_TOKEN is unset: the endpoint is off', async () => {
    const off = await startIntakeServer(w, null);
    try {
      expect((await off.post(intakeBody())).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('405 for other methods', async () => {
    const reply = await api.post('', { method: 'GET', headers: { 'content-type': '' } });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('POST');
    expect((await api.post(intakeBody(), { method: 'PUT' })).status).toBe(405);
  });

  it('413 over 64 KiB, declared or streamed; exactly 64 KiB is accepted', async () => {
    const before = await countCases();
    const padded = (size: number) => {
      const json = JSON.stringify(intakeBody());
      return json + ' '.repeat(size - Buffer.byteLength(json));
    };
    expect((await api.post(padded(64 * 1024 + 1))).status).toBe(413);
    const streamed = Array.from({ length: 20 }, () => Buffer.from(' '.repeat(10_000)));
    expect((await api.post(null, { chunks: [Buffer.from(JSON.stringify(intakeBody())), ...streamed] })).status).toBe(413);
    expect(await countCases()).toBe(before);
    expect((await api.post(padded(64 * 1024))).status).toBe(201);
  });

  it('415 for a body that is not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', '']) {
      expect((await api.post(intakeBody(), { headers: { 'content-type': type } })).status, type).toBe(415);
    }
    expect((await api.post(intakeBody(), { headers: { 'content-type': 'application/json; charset=UTF-8' } })).status).toBe(201);
  });

  it('50 concurrent posts of one externalId open one case', async () => {
    const body = intakeBody();
    const replies = await Promise.all(Array.from({ length: 50 }, () => api.post(body)));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(49);
    expect(new Set(replies.map((r) => r.body.caseId)).size).toBe(1);
    expect(await db.knex('cases').where({ external_id: body.externalId })).toHaveLength(1);
    const caseId = replies[0]!.body.caseId as number;
    expect(await db.knex('case_events').where({ case_id: caseId, action: 'opened' })).toHaveLength(1);
    expect(await db.knex('outbox').where({ kind: 'case_card', ref: String(caseId) })).toHaveLength(1);
  });

  it('batch: answers each event on its own; a bad event never holds back the others', async () => {
    const seen = intakeBody();
    const seenReply = await api.post(seen);
    const fresh = intakeBody({ trigger: 'hospital_discharge', visitType: null });
    const reply = await api.post({
      events: [fresh, { ...intakeBody(), occurredAt: 'yesterday' }, seen, { ...fresh, details: 'repeated in the batch' }, intakeBody({ trigger: 'abnormal_result' })],
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ created: 2, duplicates: 2, rejected: 1 });
    const r = reply.body.results;
    expect(r.map((x: { status: string }) => x.status)).toEqual(['created', 'rejected', 'duplicate', 'duplicate', 'created']);
    expect(r.map((x: { index: number }) => x.index)).toEqual([0, 1, 2, 3, 4]);
    expect(r[1]).toEqual({ index: 1, status: 'rejected', errors: { occurredAt: expect.any(String) } });
    expect(r[2]).toMatchObject({ caseId: seenReply.body.caseId, number: seenReply.body.number });
    expect(r[3].caseId).toBe(r[0].caseId);
    expect(await w.cases.getCase(r[0].caseId)).toMatchObject({ lane: 'discharge', tier: 'urgent' });
    expect(await w.cases.getCase(r[4].caseId)).toMatchObject({ lane: 'post_visit', tier: 'urgent' });
  });

  it('batch: 400 for an empty, oversized or non-array events list', async () => {
    for (const events of [[], 'all of them', Array.from({ length: 501 }, () => ({}))]) {
      expect(await api.post({ events })).toMatchObject({ status: 400, body: { errors: { events: expect.any(String) } } });
    }
    const all = await api.post({ events: [{}, { trigger: 'recall_due' }] });
    expect(all).toMatchObject({ status: 200, body: { created: 0, rejected: 2 } });
  });

  it('never logs patient fields', async () => {
    const text = api.logs.join('');
    expect(text).toContain('case opened from intake');
    for (const secret of ['Testy', 'McFakeface', 'MRN77770001', '555-010-9999', '1961-04-05', 'cardiology', TOKEN]) expect(text).not.toContain(secret);
  });
});
