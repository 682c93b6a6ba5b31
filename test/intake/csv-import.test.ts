import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CsvFileError, importCsv, importCsvFile } from '../../src/intake/csv-import';
import { serviceWorld, type ServiceWorld } from '../support/services';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/test-db';
import { HEADER, MIXED_ROWS, row, writeCsv } from './csv-fixtures';

describe.each(ENGINES)('CSV import on %s', (engine) => {
  let db: TestDatabase;
  let w: ServiceWorld;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    w = serviceWorld(db);
  });
  afterAll(async () => {
    await db.destroy();
  });

  const deps = () => ({ cases: w.cases, clock: w.clock });
  const byExternalId = async (id: string) => (await w.stores.cases.getCaseByExternalId(id))!;

  it('reads a BOM, CRLF and quoted commas and newlines; reports the bad date on line 7 and skips the repeat on line 9', async () => {
    const summary = await importCsvFile(writeCsv(MIXED_ROWS), deps());
    expect(summary).toEqual({
      created: 6,
      duplicates: 1,
      rejectedRows: 1,
      rejected: [{ line: 7, column: 'occurred_at', message: expect.stringContaining('ISO 8601') }],
    });
    expect((await byExternalId('noshow-002')).details).toBe('Said on the phone:\r\n"car broke down"');
    expect((await byExternalId('noshow-001')).details).toBe('Missed follow-up, rebook');
    expect((await byExternalId('ref-003')).referringOffice).toBe('Elm Street Practice, Suite 2');
    expect(await w.stores.cases.getCaseByExternalId('noshow-005')).toBeNull();
  });

  it('puts each row in the right lane and tier, with clocks from occurred_at', async () => {
    const noShow = await byExternalId('noshow-006');
    expect(noShow).toMatchObject({ lane: 'missed_appointment', tier: 'urgent', visitType: 'specialty_consult', location: 'North clinic' });
    // Tuesday 13:00 + 4 business hours = Tuesday 17:00 New York.
    expect(noShow.firstResponseDueAt.toISOString()).toBe('2026-11-24T22:00:00.000Z');
    expect(await byExternalId('noshow-001')).toMatchObject({ tier: 'high' });
    expect(await byExternalId('noshow-002')).toMatchObject({ tier: 'urgent' });
    expect(await byExternalId('ref-003')).toMatchObject({ lane: 'referral', tier: 'urgent' });
    expect(await byExternalId('dis-007')).toMatchObject({ lane: 'discharge', tier: 'urgent' });
    const preVisit = await byExternalId('appt-004');
    expect(preVisit.lane).toBe('pre_visit');
    expect(preVisit.firstResponseDueAt.getTime()).toBeLessThan(new Date('2026-12-01T09:00:00-05:00').getTime());
  });

  it('imports a file again as all duplicates', async () => {
    const summary = await importCsvFile(writeCsv(MIXED_ROWS, { eol: '\n', bom: false }), deps());
    expect(summary).toMatchObject({ created: 0, duplicates: 7, rejectedRows: 1 });
  });

  it('counts lines the same however the file arrives in pieces (a BOM or CRLF split across reads)', async () => {
    const bytes = Buffer.from(`\ufeff${MIXED_ROWS.join('\r\n')}\r\n`);
    for (const size of [1, 2, 5, 64]) {
      const pieces = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
      const summary = await importCsv(Readable.from(pieces), deps());
      expect(summary, `pieces of ${size}`).toMatchObject({ created: 0, duplicates: 7, rejected: [{ line: 7, column: 'occurred_at' }] });
    }
  });

  it('imports examples/intake-sample.csv cleanly, one case per row in its lane', async () => {
    const summary = await importCsvFile(fileURLToPath(new URL('../../examples/intake-sample.csv', import.meta.url)), deps());
    expect(summary).toEqual({ created: 10, duplicates: 0, rejectedRows: 0, rejected: [] });
    expect(await byExternalId('sched-noshow-10232')).toMatchObject({ lane: 'missed_appointment', tier: 'urgent' });
    expect(await byExternalId('ehr-ref-55012')).toMatchObject({ lane: 'referral', tier: 'urgent', details: 'Urgent cardiology referral:\nsuspected arrhythmia' });
    expect(await byExternalId('rpm-miss-880')).toMatchObject({ lane: 'monitoring', tier: 'high' });
  });

  it('names every bad column of a row, and counts the row once', async () => {
    const bad = 'bad-1,lost_luggage,2026-11-24T09:00:00-05:00,,Ida Fakename,not a phone,1950-02-30,asap,,,,,';
    const summary = await importCsv(Readable.from([`${HEADER}\n${row('ok-1')}\n${bad}\n`]), deps());
    expect(summary.rejectedRows).toBe(1);
    expect(summary.rejected.map((p) => [p.line, p.column])).toEqual([
      [3, 'trigger'],
      [3, 'patient_mrn'],
      [3, 'patient_phone'],
      [3, 'patient_dob'],
      [3, 'priority'],
    ]);
  });

  it('reports a row with the wrong number of fields, and counts lines across blank lines and comma-only rows', async () => {
    const text = [HEADER, '', row('blank-1'), ',,,,,,,,,,,,', '', 'short-2,missed_appointment,2026-11-24T09:00:00-05:00', row('blank-3')].join('\n');
    const summary = await importCsv(Readable.from([text]), deps());
    expect(summary).toMatchObject({ created: 2, rejectedRows: 1 });
    expect(summary.rejected).toEqual([{ line: 6, column: null, message: expect.stringContaining('has 3 fields but the header has 13') }]);
  });

  it('accepts the columns in any order, optional ones left out', async () => {
    const text = 'Patient_Name , trigger,external_id,occurred_at,patient_mrn\r\n"Jo Fakename",recall_due,order-1,2026-11-20T08:00:00-05:00,MRN9\r\n';
    expect(await importCsv(Readable.from([text]), deps())).toMatchObject({ created: 1, rejectedRows: 0 });
    expect(await byExternalId('order-1')).toMatchObject({ lane: 'preventive_recall', tier: 'low', patient: { name: 'Jo Fakename' } });
  });

  it('refuses a file with an unknown, missing or repeated column, or no header, importing nothing', async () => {
    const before = await db.knex('cases').count<{ n: number }[]>('* as n');
    await expect(importCsv(Readable.from([`${HEADER.replace('patient_name', 'patient_nmae')}\n${row('typo-1')}\n`]), deps())).rejects.toThrow(/unknown column\(s\) "patient_nmae".*missing column\(s\) patient_name/);
    await expect(importCsv(Readable.from(['external_id,trigger,trigger\n']), deps())).rejects.toThrow(/named twice: trigger/);
    await expect(importCsv(Readable.from(['']), deps())).rejects.toThrow(CsvFileError);
    await expect(importCsvFile('/nonexistent/events.csv', deps())).rejects.toThrow(/cannot read .*ENOENT/);
    expect(await db.knex('cases').count<{ n: number }[]>('* as n')).toEqual(before);
  });

  it('stops at a quote that never closes, after importing the rows before it', async () => {
    const text = [HEADER, row('quote-1'), row('quote-2'), 'quote-3,missed_appointment,2026-11-24T09:00:00-05:00,MRN1,"Never closed,,,,,,,,', row('quote-4')].join('\r\n');
    const summary = await importCsv(Readable.from([text]), deps());
    expect(summary).toMatchObject({ created: 2, rejectedRows: 1 });
    expect(summary.rejected).toEqual([{ line: 4, column: null, message: expect.stringContaining('never closed') }]);
  });

  it('writes one transaction per chunk, not one per row', async () => {
    const rows = Array.from({ length: 1234 }, (_, i) => row(`bulk-${i}`));
    const spy = vi.spyOn(w.cases, 'openCases');
    const progress: number[] = [];
    try {
      const summary = await importCsv(Readable.from([`${HEADER}\n${rows.join('\n')}\n`]), deps(), { onProgress: (p) => progress.push(p.rows) });
      expect(summary).toMatchObject({ created: 1234, duplicates: 0, rejectedRows: 0 });
      expect(spy.mock.calls.map(([events]) => events.length)).toEqual([500, 500, 234]);
      expect(progress.at(-1)).toBe(1234);
    } finally {
      spy.mockRestore();
    }
    const opened = await db.knex('case_events').where({ action: 'opened' }).join('cases', 'cases.id', 'case_events.case_id').where('cases.external_id', 'like', 'bulk-%');
    expect(opened).toHaveLength(1234);
  });
});
