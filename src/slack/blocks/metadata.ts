/**
 * A modal's private_metadata: only the ids it acts on (SPEC §6 keeps patient data out
 * of it). Read back defensively: the value round-trips through Slack.
 */
export interface ModalRef {
  caseId: number;
  escalationId?: number;
}

export function encodeModalRef(ref: ModalRef): string {
  return JSON.stringify(ref.escalationId === undefined ? { caseId: ref.caseId } : { caseId: ref.caseId, escalationId: ref.escalationId });
}

/** The ids in a modal's private_metadata, or null when it does not hold a case id. */
export function decodeModalRef(raw: string | undefined): ModalRef | null {
  try {
    const value = JSON.parse(raw ?? '') as { caseId?: unknown; escalationId?: unknown };
    if (!isId(value.caseId)) return null;
    return isId(value.escalationId) ? { caseId: value.caseId, escalationId: value.escalationId } : { caseId: value.caseId };
  } catch {
    return null;
  }
}

/** A button value or metadata field holding a database id. */
export function parseId(raw: unknown): number | null {
  const n = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
  return isId(n) ? n : null;
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}
