/**
 * Small Block Kit constructors shared by the builders. Every one clips its text to
 * Slack's limit (SLACK-FACTS §1), so no input, however long, makes Slack reject a view.
 */
import type { types } from '@slack/bolt';
import { clip } from './format';

export type KnownBlock = types.KnownBlock;
export type ModalView = types.ModalView;
export type Button = types.Button;
export type PlainTextOption = types.PlainTextOption;

/** A chat message as CareBridge sends it: notification `text` (PHI-free) and blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export const SECTION_MAX = 3000;
export const FIELD_MAX = 2000;
const HEADER_MAX = 150;
const BUTTON_TEXT_MAX = 75;
const OPTION_TEXT_MAX = 75;
const MODAL_TITLE_MAX = 24;

export function plain(text: string, max = SECTION_MAX): types.PlainTextElement {
  return { type: 'plain_text', text: clip(text, max), emoji: true };
}

export function mrkdwn(text: string, max = SECTION_MAX): types.MrkdwnElement {
  return { type: 'mrkdwn', text: clip(text, max) };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: plain(text, HEADER_MAX) };
}

export function section(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(text || ' ') };
}

/** A section of two-column fields (at most 10). */
export function fields(items: string[]): KnownBlock {
  return { type: 'section', fields: items.slice(0, 10).map((f) => mrkdwn(f || ' ', FIELD_MAX)) };
}

export function context(...texts: string[]): KnownBlock {
  return { type: 'context', elements: texts.slice(0, 10).map((t) => mrkdwn(t || ' ')) };
}

export function divider(): KnownBlock {
  return { type: 'divider' };
}

export function button(input: { text: string; actionId: string; value?: string; style?: 'primary' | 'danger'; url?: string }): Button {
  return {
    type: 'button',
    text: plain(input.text, BUTTON_TEXT_MAX),
    action_id: input.actionId,
    ...(input.value !== undefined ? { value: input.value } : {}),
    ...(input.style ? { style: input.style } : {}),
    ...(input.url ? { url: input.url } : {}),
  };
}

export function actions(blockId: string, elements: Button[]): KnownBlock {
  return { type: 'actions', block_id: blockId, elements: elements.slice(0, 25) };
}

/** A select or checkbox option; values are enum keys or ids, always well under 75 characters. */
export function option(value: string, text: string, description?: string): PlainTextOption {
  return { value, text: plain(text, OPTION_TEXT_MAX), ...(description ? { description: plain(description, OPTION_TEXT_MAX) } : {}) };
}

/** Options for every key of a label table, in the table's order. */
export function optionsOf<K extends string>(keys: readonly K[], labels: Record<K, string>): PlainTextOption[] {
  return keys.map((k) => option(k, labels[k]));
}

/** A modal; the title, and the submit and close words, are clipped to Slack's 24 characters. */
export function modal(input: {
  callbackId: string;
  title: string;
  blocks: KnownBlock[];
  privateMetadata?: string;
  submit?: string;
  close?: string;
}): ModalView {
  return {
    type: 'modal',
    callback_id: input.callbackId,
    title: plain(input.title, MODAL_TITLE_MAX),
    ...(input.submit ? { submit: plain(input.submit, MODAL_TITLE_MAX) } : {}),
    close: plain(input.close ?? 'Cancel', MODAL_TITLE_MAX),
    ...(input.privateMetadata !== undefined ? { private_metadata: input.privateMetadata } : {}),
    blocks: input.blocks.slice(0, 100),
  };
}

const LABEL_MAX = 2000;
const PLACEHOLDER_MAX = 150;

/** An input block whose element's action_id is the block id (so values read as values[id][id]). */
export function input(
  blockId: string,
  label: string,
  element: Record<string, unknown> & { type: string },
  opts: { optional?: boolean; hint?: string } = {},
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, LABEL_MAX),
    element: { ...element, action_id: blockId } as types.InputBlock['element'],
    optional: opts.optional ?? false,
    ...(opts.hint ? { hint: plain(opts.hint, LABEL_MAX) } : {}),
  };
}

export function placeholder(text: string): types.PlainTextElement {
  return plain(text, PLACEHOLDER_MAX);
}
