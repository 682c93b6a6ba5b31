/**
 * Case numbers: what people say and type (`FU-1042`), derived from the case's id:
 * `FU-1001` is case id 1.
 */

const NUMBER_OFFSET = 1000;

export function caseNumber(id: number): string {
  return `FU-${id + NUMBER_OFFSET}`;
}

/** `FU-1042` (any case, with or without the prefix) → 42; null when it is not a case number. */
export function caseIdFromNumber(text: string): number | null {
  const match = /^(?:FU-?)?(\d{1,12})$/i.exec(text.trim());
  if (!match) return null;
  const id = Number(match[1]) - NUMBER_OFFSET;
  return id > 0 ? id : null;
}
