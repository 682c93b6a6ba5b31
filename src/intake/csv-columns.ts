/** The file as a whole cannot be imported (unreadable, no header, unknown columns); nothing was written. */
export class CsvFileError extends Error {
  override name = 'CsvFileError';
}

/**
 * The columns of an import file (docs/intake.md), in the usual order. Each is an
 * intake field of SPEC §10; `patient_*` fill the `patient` object.
 */
export const CSV_COLUMNS = [
  'external_id',
  'trigger',
  'occurred_at',
  'patient_mrn',
  'patient_name',
  'patient_phone',
  'patient_dob',
  'priority',
  'visit_type',
  'appointment_at',
  'details',
  'location',
  'referring_office',
] as const;
/** One column name of an import file. */
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns every file must have; the others may be left out. */
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ['external_id', 'trigger', 'occurred_at', 'patient_mrn', 'patient_name'];

/** Intake field path (as named in validation errors) → column. */
const COLUMN_OF_FIELD: Record<string, CsvColumn> = {
  externalId: 'external_id',
  trigger: 'trigger',
  occurredAt: 'occurred_at',
  'patient.mrn': 'patient_mrn',
  'patient.name': 'patient_name',
  'patient.phone': 'patient_phone',
  'patient.dob': 'patient_dob',
  priority: 'priority',
  visitType: 'visit_type',
  appointmentAt: 'appointment_at',
  details: 'details',
  location: 'location',
  referringOffice: 'referring_office',
};

/** The header's columns, in file order. */
export type CsvHeader = readonly CsvColumn[];

/**
 * Reads the header line. Names are matched without regard to case or surrounding
 * spaces; an unknown name is an error rather than ignored, so a misspelt column
 * (`patient_nmae`) cannot silently drop data from every row.
 */
export function readHeader(fields: string[]): CsvHeader {
  const names = fields.map((f) => f.trim().toLowerCase());
  const problems: string[] = [];
  const isColumn = (n: string) => (CSV_COLUMNS as readonly string[]).includes(n);
  const unknown = names.flatMap((n, i) => (isColumn(n) ? [] : [describeUnknownColumn(n, i + 1)]));
  if (unknown.length > 0) problems.push(`unknown column(s) ${unknown.join(', ')}`);
  const repeated = names.filter((n, i) => isColumn(n) && names.indexOf(n) !== i);
  if (repeated.length > 0) problems.push(`column(s) named twice: ${[...new Set(repeated)].join(', ')}`);
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) problems.push(`missing column(s) ${missing.join(', ')}`);
  if (problems.length > 0) {
    throw new CsvFileError(`line 1 (the header): ${problems.join('; ')}. The columns are: ${CSV_COLUMNS.join(', ')}`);
  }
  return names as CsvColumn[];
}

/**
 * An unknown header cell by its position. Its text is shown only when it is a near miss
 * of a column name (a typo): a file that is not an import file at all (a path mistyped
 * as `/etc/shadow`) must not have its first line printed.
 */
function describeUnknownColumn(name: string, position: number): string {
  const nearest = /^[a-z][a-z0-9_]{0,39}$/.test(name) ? CSV_COLUMNS.find((c) => editDistance(name, c) <= 2) : undefined;
  return nearest ? `"${name}" (column ${position}; did you mean ${nearest}?)` : `column ${position}`;
}

/** Levenshtein distance (short strings only). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A row as the intake body it stands for; empty cells are absent fields. */
export function csvRowToIntake(header: CsvHeader, fields: string[]): Record<string, unknown> {
  const cell: Partial<Record<CsvColumn, string>> = {};
  header.forEach((column, i) => {
    const value = fields[i];
    if (value !== undefined && value.trim() !== '') cell[column] = value;
  });
  return {
    externalId: cell.external_id,
    trigger: cell.trigger,
    occurredAt: cell.occurred_at,
    patient: { mrn: cell.patient_mrn, name: cell.patient_name, phone: cell.patient_phone, dob: cell.patient_dob },
    priority: cell.priority,
    visitType: cell.visit_type,
    appointmentAt: cell.appointment_at,
    details: cell.details,
    location: cell.location,
    referringOffice: cell.referring_office,
  };
}

/** The column to blame for a validation error on an intake field. */
export function columnOf(field: string): string | null {
  return COLUMN_OF_FIELD[field] ?? null;
}
