import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateTriggerEvent } from '../../src/domain/trigger-event';
import { serviceWorld, type ServiceWorld } from '../support/services';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';
import { intakeBody, startIntakeServer, type IntakeServer } from './intake-client';

const PATHS = [
  'externalId', 'trigger', 'occurredAt', 'patient', 'patient.mrn', 'patient.name', 'patient.phone', 'patient.dob',
  'priority', 'visitType', 'appointmentAt', 'details', 'location', 'referringOffice',
] as const;

// NUL first: PostgreSQL cannot store it in text, so it must be refused before the database sees it.
const CONTROL = fc.oneof(fc.constant('\u0000'), fc.integer({ min: 0, max: 0x1f }).map((n) => String.fromCharCode(n)), fc.constant('\u007f'));

/** Junk for one field: any JSON, any text (control characters included), or the field left out. */
const junk = fc.oneof(
  { arbitrary: fc.tuple(fc.string(), CONTROL, fc.string()).map(([a, c, b]) => `${a}${c}${b}`), weight: 3 },
  fc.jsonValue(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', '2026-02-30T10:00:00-05:00', '2026-11-25T09:00:00', '9999-12-31T23:59:59Z', 'x'.repeat(5000)),
  fc.constant(undefined),
);

function mutate(base: Record<string, any>, changes: [string, unknown][]): Record<string, any> {
  const body = structuredClone(base);
  for (const [path, value] of changes) {
    const [head, tail] = path.split('.') as [string, string | undefined];
    const target = tail ? (typeof body[head] === 'object' && body[head] !== null ? body[head] : (body[head] = {})) : body;
    if (value === undefined) delete target[tail ?? head];
    else target[tail ?? head] = value;
  }
  return body;
}

/** A valid event with one to three fields broken. */
const brokenEvent = fc.array(fc.tuple(fc.constantFrom(...PATHS), junk), { minLength: 1, maxLength: 3 }).map((changes) => mutate(intakeBody(), changes));

describe.each(ENGINES)('malformed intake bodies on %s', (engine) => {
  let db: TestDatabase;
  let w: ServiceWorld;
  let api: IntakeServer;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    w = serviceWorld(db);
    api = await startIntakeServer(w);
    // Something to change, so "unchanged" means something.
    await api.post(intakeBody());
  });
  afterAll(async () => {
    await api.close();
    await db.destroy();
  });

  async function snapshot(): Promise<number[]> {
    const counts = [];
    for (const table of ['cases', 'case_events', 'outbox']) counts.push(Number((await db.knex(table).count<{ n: number }[]>('* as n'))[0]!.n));
    return counts;
  }
  const invalid = (body: unknown) => !validateTriggerEvent(body, { now: w.clock.now(), requireExternalId: true }).ok;

  it('never answers 5xx nor changes the database, whatever the bytes', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)), fc.string({ unit: 'binary' }).map((s) => Buffer.from(s))), async (bytes) => {
        const reply = await api.post(bytes);
        expect(reply.status).toBe(400);
      }),
      { numRuns: 150 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('never answers 5xx for any JSON value or broken event, and only a 201 adds a case', async () => {
    const before = await snapshot();
    let createdReplies = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), brokenEvent), async (body) => {
        // Not filtered by the validator: a "broken" event it wrongly accepts must still never 5xx.
        const reply = await api.post(body);
        expect(reply.status).toBeLessThan(500);
        if (reply.status === 201) createdReplies += 1;
        if (invalid(body)) {
          if (reply.status === 200) expect(reply.body).toMatchObject({ created: 0, duplicates: 0 }); // an object with `events`
          else expect(reply.status).toBe(400);
        }
      }),
      { numRuns: 300 },
    );
    const after = await snapshot();
    expect(after[0]! - before[0]!).toBe(createdReplies);
  });

  it('changes nothing for invalid events', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), brokenEvent.map((e) => ({ ...e, externalId: 'fuzz-never' }))), async (body) => {
        fc.pre(invalid(body));
        expect([200, 400]).toContain((await api.post(body)).status);
      }),
      { numRuns: 200 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('rejects every broken event of a batch, one by one, and changes nothing', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(brokenEvent, fc.jsonValue()), { minLength: 1, maxLength: 8 }), async (events) => {
        fc.pre(events.every(invalid));
        const reply = await api.post({ events });
        expect(reply.status).toBe(200);
        expect(reply.body.results.map((r: { status: string }) => r.status)).toEqual(events.map(() => 'rejected'));
        for (const r of reply.body.results) expect(Object.keys(r.errors).length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
    expect(await snapshot()).toEqual(before);
  });
});
