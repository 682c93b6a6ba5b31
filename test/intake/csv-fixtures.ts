import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HEADER =
  'external_id,trigger,occurred_at,patient_mrn,patient_name,patient_phone,patient_dob,priority,visit_type,appointment_at,details,location,referring_office';

/**
 * The file the issue asks about (CRLF, a BOM, quoted commas and newlines): 8 rows on
 * lines 2–10, a bad date on line 7 and a repeat of line 2's external id on line 9.
 */
export const MIXED_ROWS = [
  HEADER, // line 1
  'noshow-001,missed_appointment,2026-11-24T09:00:00-05:00,MRN00000001,Ada Fakename,555-010-0001,1950-01-01,,follow_up,,"Missed follow-up, rebook",Main clinic,', // 2
  'noshow-002,missed_appointment,2026-11-24T10:00:00-05:00,MRN00000002,Bo Fakename,,,,new_patient,,"Said on the phone:\r\n""car broke down""",Main clinic,', // 3–4
  'ref-003,new_referral,2026-11-24T11:00:00-05:00,MRN00000003,Cy Fakename,,,urgent,,,Cardiology,,"Elm Street Practice, Suite 2"', // 5
  'appt-004,appointment_scheduled,2026-11-24T12:00:00-05:00,MRN00000004,Di Fakename,,,,,2026-12-01T09:00:00-05:00,Telehealth visit,,', // 6
  'noshow-005,missed_appointment,2026-11-31T09:00:00-05:00,MRN00000005,Ed Fakename,,,,follow_up,,,,', // 7: no November 31st
  'noshow-006,missed_appointment,2026-11-24T13:00:00-05:00,MRN00000006,Flo Fakename,,,,specialty_consult,,,North clinic,', // 8
  'noshow-001,missed_appointment,2026-11-24T09:00:00-05:00,MRN00000001,Ada Fakename,555-010-0001,1950-01-01,,follow_up,,Sent twice,Main clinic,', // 9
  'dis-007,hospital_discharge,2026-11-24T16:30:00-05:00,MRN00000007,Gus Fakename,,,,,,"Discharged: ""CHF"", follow up in 7 days",,', // 10
];

/** Writes CSV lines to a fresh temp file; CRLF and a BOM unless told otherwise. */
export function writeCsv(lines: string[], options: { eol?: string; bom?: boolean; name?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'carebridge-csv-'));
  const path = join(dir, options.name ?? 'events.csv');
  writeFileSync(path, `${options.bom === false ? '' : '\ufeff'}${lines.join(options.eol ?? '\r\n')}${options.eol ?? '\r\n'}`);
  return path;
}

/** A row of the given external id; the other cells are a valid missed appointment. */
export function row(externalId: string, overrides: Partial<Record<'trigger' | 'occurred_at' | 'visit_type' | 'patient_name', string>> = {}): string {
  const o = { trigger: 'missed_appointment', occurred_at: '2026-11-24T09:00:00-05:00', visit_type: 'follow_up', patient_name: 'Hal Fakename', ...overrides };
  return `${externalId},${o.trigger},${o.occurred_at},MRN-${externalId},${o.patient_name},,,,${o.visit_type},,,,`;
}
