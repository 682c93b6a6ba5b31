/**
 * Builds a message block by block within Slack's limits (SLACK-FACTS §1): at most 50
 * blocks and well under the ~12,000 characters of text Slack accepts in one message.
 * A builder asks before each addition and, when something no longer fits, ends with
 * a line saying how much was left out ("and 212 more — open App Home").
 */
import type { KnownBlock } from './kit';

export const MESSAGE_BLOCKS_MAX = 50;
/** Below Slack's undocumented msg_blocks_too_long threshold (~12,000), with room for block containers. */
export const MESSAGE_TEXT_MAX = 10_000;

export class MessageBudget {
  readonly blocks: KnownBlock[] = [];
  private chars = 0;

  /**
   * Adds `blocks` if they fit while keeping `reserveBlocks` blocks and `reserveChars`
   * characters back (for the closing "and N more" line); false, adding nothing, if not.
   */
  tryAdd(blocks: KnownBlock[], reserveBlocks = 1, reserveChars = 300): boolean {
    const chars = blocks.reduce((n, b) => n + textLength(b), 0);
    if (this.blocks.length + blocks.length + reserveBlocks > MESSAGE_BLOCKS_MAX) return false;
    if (this.chars + chars + reserveChars > MESSAGE_TEXT_MAX) return false;
    this.blocks.push(...blocks);
    this.chars += chars;
    return true;
  }

  /** Adds the closing blocks, which the reserves kept room for. */
  close(blocks: KnownBlock[]): KnownBlock[] {
    for (const b of blocks) this.chars += textLength(b);
    this.blocks.push(...blocks);
    return this.blocks;
  }
}

/** The characters of text a block carries (what Slack counts toward the message's total). */
export function textLength(block: KnownBlock): number {
  const b = block as { text?: { text?: string }; fields?: { text?: string }[]; elements?: { text?: string }[] };
  let n = b.text?.text?.length ?? 0;
  for (const f of b.fields ?? []) n += f.text?.length ?? 0;
  if (block.type === 'context') for (const e of b.elements ?? []) n += e.text?.length ?? 0;
  return n;
}
