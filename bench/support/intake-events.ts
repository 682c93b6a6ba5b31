/**
 * Trigger events as an EHR sends them (the intake body of SPEC §10), and the same
 * events as CSV rows for `carebridge import`: every trigger, a patient each, times
 * within the last days.
 */
import { CSV_COLUMNS } from '../../src/intake/csv-columns';
import { TRIGGERS } from '../../src/domain/types';
import { HOUR, LOCATIONS, MINUTE } from './practice-data';

/** A POST /intake/events body (SPEC §10). */
export type IntakeBody = Record<string, unknown> & { externalId: string; patient: Record<string, string> };

/** Event `n` (ids are `<prefix>-<n>`, so each run can use fresh ones). */
export function intakeBody(prefix: string, n: number, now: number): IntakeBody {
  const trigger = TRIGGERS[n % TRIGGERS.length]!;
  const occurredAt = now - (1 + (n % 72)) * HOUR - (n % 60) * MINUTE;
  return {
    externalId: `${prefix}-${n}`,
    trigger,
    occurredAt: new Date(occurredAt).toISOString(),
    patient: { mrn: `MRN${String(20_000_000 + n)}`, name: `Patient ${String.fromCharCode(65 + (n % 26))}. Example`, phone: '555-010-2000', dob: '1960-04-12' },
    ...(trigger === 'appointment_scheduled' ? { appointmentAt: new Date(now + 5 * 24 * HOUR).toISOString() } : {}),
    ...(trigger === 'missed_appointment' ? { visitType: n % 2 ? 'follow_up' : 'new_patient' } : {}),
    details: 'Sent by the scheduling system',
    location: LOCATIONS[n % LOCATIONS.length],
    ...(trigger === 'new_referral' ? { referringOffice: 'Lakeside Family Practice' } : {}),
  };
}

/** The events as an import file: the header, then one row per event (no field needs quoting). */
export function intakeCsv(bodies: readonly IntakeBody[]): string {
  const cell: Record<(typeof CSV_COLUMNS)[number], (b: IntakeBody) => unknown> = {
    external_id: (b) => b.externalId,
    trigger: (b) => b.trigger,
    occurred_at: (b) => b.occurredAt,
    patient_mrn: (b) => b.patient.mrn,
    patient_name: (b) => b.patient.name,
    patient_phone: (b) => b.patient.phone,
    patient_dob: (b) => b.patient.dob,
    priority: (b) => b.priority,
    visit_type: (b) => b.visitType,
    appointment_at: (b) => b.appointmentAt,
    details: (b) => b.details,
    location: (b) => b.location,
    referring_office: (b) => b.referringOffice,
  };
  const lines = [CSV_COLUMNS.join(',')];
  for (const b of bodies) lines.push(CSV_COLUMNS.map((c) => String(cell[c](b) ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}
