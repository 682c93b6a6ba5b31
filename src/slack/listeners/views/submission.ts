import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { FieldErrors, Refusal } from '../../../domain/types';
import { decodeModalRef, type ModalRef } from '../../blocks/metadata';

/** What Bolt gives a view_submission listener. */
export type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The request key that makes a repeated submission of one modal a no-op. */
export function submissionKey(args: SubmitArgs): string {
  return `view:${args.view.id}`;
}

/**
 * Field errors keyed by input block_id, as `response_action: "errors"` wants them.
 * Domain field names map through `fieldBlocks`; a refusal that names no field (the
 * case was closed meanwhile, the user may not act) shows its message on `fallbackBlock`.
 */
export function blockErrors(refusal: Pick<Refusal, 'message' | 'errors'>, fieldBlocks: Record<string, string>, fallbackBlock: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(refusal.errors ?? {})) out[fieldBlocks[field] ?? fallbackBlock] ??= message;
  if (Object.keys(out).length === 0) out[fallbackBlock] = refusal.message;
  return out;
}

/** Answers the submission with field errors: the modal stays open and nothing was saved. */
export async function answerErrors(args: SubmitArgs, errors: Record<string, string>): Promise<void> {
  await args.ack({ response_action: 'errors', errors });
}

/** The ids the modal acts on; null (answered with an error on `block`) when they cannot be read. */
export async function modalRefOrError(args: SubmitArgs, block: string, needsEscalation = false): Promise<ModalRef | null> {
  const ref = decodeModalRef(args.view.private_metadata);
  if (ref && (!needsEscalation || ref.escalationId !== undefined)) return ref;
  await answerErrors(args, { [block]: 'This form can no longer be saved. Close it and open it again from the case.' });
  return null;
}

/** zod-style issues (path + message) as domain field errors, first message per field. */
export function issuesToFieldErrors(issues: { path: PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return errors;
}
