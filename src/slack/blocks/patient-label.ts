import type { PatientLabelMode } from '../../domain/types';
import type { Patient } from '../../domain/types';

/**
 * The only patient identifier CareBridge puts in channel posts, notification text,
 * App Home, modal titles and private_metadata (SPEC §6): initials, plus the last 4
 * characters of the MRN in `initials_mrn4` mode; nothing in `none` mode.
 */
export function patientLabel(patient: Pick<Patient, 'name' | 'mrn'>, mode: PatientLabelMode): string {
  if (mode === 'none') return '';
  const initials = patient.name
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase())
    .join('')
    .slice(0, 3);
  if (mode === 'initials') return initials;
  const mrn4 = patient.mrn.replace(/\s/g, '').slice(-4);
  return `${initials} ·${mrn4}`;
}
