/**
 * Slack's Block Kit limits (SLACK-FACTS §1), checked over a whole message or view.
 * Returns the list of violations so a test can show them all. No test framework here:
 * the benchmark checks what it builds too; support/block-limits.ts adds the expects.
 */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  blockId: 255,
  actionId: 255,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  inputLabel: 2000,
  placeholder: 150,
  optionText: 75,
  optionValue: 75,
  options: 100,
  checkboxOptions: 10,
  overflowOptions: 5,
  messageText: 4000,
  /** Total text in one message, below Slack's undocumented ~12,000 (msg_blocks_too_long). */
  messageTotalText: 11_000,
} as const;

type Json = Record<string, unknown>;

function textOf(t: unknown): string {
  return t && typeof t === 'object' && typeof (t as Json).text === 'string' ? ((t as Json).text as string) : '';
}

function checkBlocks(blocks: Json[], problems: string[], where: string): number {
  let total = 0;
  blocks.forEach((block, i) => {
    const at = `${where}[${i}] ${String(block.type)}`;
    if (typeof block.block_id === 'string' && block.block_id.length > LIMITS.blockId) problems.push(`${at}: block_id too long`);
    const t = textOf(block.text);
    total += t.length;
    if (block.type === 'section') {
      if (block.text && (t.length < 1 || t.length > LIMITS.sectionText)) problems.push(`${at}: section text ${t.length} chars (1–${LIMITS.sectionText})`);
      const fields = (block.fields as Json[] | undefined) ?? [];
      if (fields.length > LIMITS.sectionFields) problems.push(`${at}: ${fields.length} fields`);
      for (const f of fields) {
        const ft = textOf(f);
        total += ft.length;
        if (ft.length < 1 || ft.length > LIMITS.fieldText) problems.push(`${at}: field text ${ft.length} chars`);
      }
      if (!block.text && fields.length === 0) problems.push(`${at}: section with neither text nor fields`);
    }
    if (block.type === 'header' && (t.length < 1 || t.length > LIMITS.headerText)) problems.push(`${at}: header ${t.length} chars`);
    if (block.type === 'context') {
      const els = (block.elements as Json[] | undefined) ?? [];
      if (els.length < 1 || els.length > LIMITS.contextElements) problems.push(`${at}: ${els.length} context elements`);
      for (const e of els) total += textOf(e).length;
    }
    if (block.type === 'markdown' && typeof block.text === 'string') total += block.text.length;
    if (block.type === 'input') {
      const label = textOf(block.label);
      if (label.length < 1 || label.length > LIMITS.inputLabel) problems.push(`${at}: input label ${label.length} chars`);
    }
    const elements = block.type === 'actions' ? ((block.elements as Json[]) ?? []) : block.accessory ? [block.accessory as Json] : block.element ? [block.element as Json] : [];
    if (block.type === 'actions' && (elements.length < 1 || elements.length > LIMITS.actionsElements)) problems.push(`${at}: ${elements.length} action elements`);
    for (const el of elements) checkElement(el, problems, at);
  });
  return total;
}

function checkElement(el: Json, problems: string[], at: string): void {
  if (typeof el.action_id === 'string' && el.action_id.length > LIMITS.actionId) problems.push(`${at}: action_id too long`);
  if (el.type === 'button') {
    const bt = textOf(el.text);
    if (bt.length < 1 || bt.length > LIMITS.buttonText) problems.push(`${at}: button text ${bt.length} chars`);
    if (typeof el.value === 'string' && el.value.length > LIMITS.buttonValue) problems.push(`${at}: button value too long`);
  }
  if (el.placeholder && textOf(el.placeholder).length > LIMITS.placeholder) problems.push(`${at}: placeholder too long`);
  const options = [...((el.options as Json[] | undefined) ?? []), ...((el.option_groups as Json[] | undefined) ?? []).flatMap((g) => (g.options as Json[]) ?? [])];
  const max = el.type === 'checkboxes' || el.type === 'radio_buttons' ? LIMITS.checkboxOptions : el.type === 'overflow' ? LIMITS.overflowOptions : LIMITS.options;
  if (options.length > max) problems.push(`${at}: ${options.length} options (max ${max})`);
  for (const o of options) {
    if (textOf(o.text).length > LIMITS.optionText) problems.push(`${at}: option text too long`);
    if (typeof o.value === 'string' && o.value.length > LIMITS.optionValue) problems.push(`${at}: option value too long`);
  }
}

/** Violations of Slack's limits in a chat message `{ text, blocks }`. */
export function messageProblems(message: { text?: string; blocks?: unknown[] }): string[] {
  const problems: string[] = [];
  const blocks = (message.blocks ?? []) as Json[];
  if (blocks.length > LIMITS.messageBlocks) problems.push(`${blocks.length} blocks (max ${LIMITS.messageBlocks})`);
  if ((message.text ?? '').length > LIMITS.messageText) problems.push(`text ${message.text!.length} chars`);
  const total = checkBlocks(blocks, problems, 'blocks');
  if (total > LIMITS.messageTotalText) problems.push(`total block text ${total} chars (max ${LIMITS.messageTotalText})`);
  return problems;
}

/** Violations of Slack's limits in a modal or Home view. */
export function viewProblems(view: Json): string[] {
  const problems: string[] = [];
  const blocks = (view.blocks ?? []) as Json[];
  if (blocks.length > LIMITS.viewBlocks) problems.push(`${blocks.length} blocks (max ${LIMITS.viewBlocks})`);
  if (view.type === 'modal') {
    for (const key of ['title', 'submit', 'close']) {
      const t = textOf(view[key]);
      if (view[key] && (t.length < 1 || t.length > LIMITS.modalTitle)) problems.push(`${key} ${t.length} chars (max 24)`);
    }
    if (!view.title) problems.push('modal without title');
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > LIMITS.privateMetadata) problems.push('private_metadata too long');
  if (typeof view.callback_id === 'string' && view.callback_id.length > LIMITS.callbackId) problems.push('callback_id too long');
  checkBlocks(blocks, problems, 'blocks');
  if (JSON.stringify(view).length > 250_000) problems.push('view payload over 250 KB');
  return problems;
}
