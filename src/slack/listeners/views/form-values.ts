import type { ViewStateValue } from '@slack/bolt';

/** A view's `state.values`: block_id → action_id → value. CareBridge inputs use the block id as action id. */
export type FormValues = Record<string, Record<string, ViewStateValue>>;

function valueOf(values: FormValues, blockId: string): ViewStateValue | undefined {
  return values[blockId]?.[blockId];
}

/** A select's or radio group's chosen option value. */
export function selectedOption(values: FormValues, blockId: string): string | null {
  return valueOf(values, blockId)?.selected_option?.value ?? null;
}

/** A text input's value, untrimmed (the domain trims and measures it). */
export function textValue(values: FormValues, blockId: string): string | null {
  return valueOf(values, blockId)?.value ?? null;
}

export function selectedDate(values: FormValues, blockId: string): string | null {
  return valueOf(values, blockId)?.selected_date ?? null;
}

export function selectedUser(values: FormValues, blockId: string): string | null {
  return valueOf(values, blockId)?.selected_user ?? null;
}

/** Ticked checkbox values; null when the form has no such block (another lane's modal). */
export function checkedOptions(values: FormValues, blockId: string): string[] | null {
  const v = valueOf(values, blockId);
  return v ? (v.selected_options ?? []).map((o) => o.value) : null;
}
