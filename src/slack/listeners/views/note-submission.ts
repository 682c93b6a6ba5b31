import type { NoteInput, Refusal } from '../../../domain/types';
import { NO_ESCALATION } from '../../blocks/note-modal';
import type { SlackContext } from '../../context';
import { BLOCKS, NOTE_FIELD_BLOCKS } from '../../ids';
import { checkedOptions, selectedDate, selectedOption, selectedUser, textValue, type FormValues } from './form-values';
import { answerErrors, blockErrors, modalRefOrError, submissionKey, type SubmitArgs } from './submission';

/**
 * Saves a structured note. Invalid input is answered inside the modal, keyed by
 * block, and nothing is saved; the modal's view id is the request key, so a repeated
 * submission saves one note. A note that asks for escalation raises it too.
 */
export function noteSubmission(ctx: SlackContext) {
  return async (args: SubmitArgs): Promise<void> => {
    const ref = await modalRefOrError(args, BLOCKS.noteStatus);
    if (!ref) return;
    const actor = await ctx.roles.actorFor(args.body.user.id);
    const input = readNoteForm(args.view.state.values);
    const result = await ctx.cases.addNote(ref.caseId, actor, input, submissionKey(args));
    if (!result.ok) return answerErrors(args, noteErrors(result, input));
    await args.ack();
    ctx.deliverSoon();
  };
}

/** The note as entered; validation is the domain's (validateNote), so values pass through as given. */
export function readNoteForm(values: FormValues): Partial<NoteInput> {
  const channel = selectedOption(values, BLOCKS.noteContactChannel);
  const result = selectedOption(values, BLOCKS.noteContactResult);
  const reason = selectedOption(values, BLOCKS.noteEscalationReason);
  return {
    contact: channel || result ? ({ channel, result } as unknown as NoteInput['contact']) : null,
    status: selectedOption(values, BLOCKS.noteStatus) as NoteInput['status'],
    barrier: selectedOption(values, BLOCKS.noteBarrier) as NoteInput['barrier'],
    barrierText: textValue(values, BLOCKS.noteBarrierText),
    understanding: selectedOption(values, BLOCKS.noteUnderstanding) as NoteInput['understanding'],
    understandingText: textValue(values, BLOCKS.noteUnderstandingText),
    nextAction: textValue(values, BLOCKS.noteNextAction),
    responsibleParty: selectedOption(values, BLOCKS.noteResponsibleParty) as NoteInput['responsibleParty'],
    responsibleUserId: selectedUser(values, BLOCKS.noteResponsibleUser),
    targetDate: selectedDate(values, BLOCKS.noteTargetDate),
    escalation:
      reason && reason !== NO_ESCALATION
        ? ({ reason, text: textValue(values, BLOCKS.noteEscalationText) ?? '' } as NoteInput['escalation'])
        : null,
    checklist: checkedOptions(values, BLOCKS.noteChecklist) as NoteInput['checklist'],
  };
}

/**
 * Where each error shows. Two domain fields span two inputs: a contact error belongs
 * on the result when the channel was chosen, and an escalation error on its text
 * when the reason was.
 */
function noteErrors(refusal: Refusal, input: Partial<NoteInput>): Record<string, string> {
  const blocks: Record<string, string> = { ...NOTE_FIELD_BLOCKS };
  if (input.contact?.channel) blocks.contact = BLOCKS.noteContactResult;
  if (input.escalation?.reason) blocks.escalation = BLOCKS.noteEscalationText;
  return blockErrors(refusal, blocks, BLOCKS.noteStatus);
}
