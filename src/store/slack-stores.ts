import type { Knex } from 'knex';
import type { ProcessedRequestPort, SlackMessagePort, SlackMessageRef } from '../services/ports';

/** Where CareBridge's living Slack messages are (kind + ref → channel + ts). */
export class SlackMessageStore implements SlackMessagePort {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async get(kind: string, ref: string): Promise<SlackMessageRef | null> {
    const row = await this.db('slack_messages').where({ kind, ref }).first();
    return row ? { channel: row.channel, ts: row.ts } : null;
  }

  /** The messages of many refs of one kind (absent: never posted). */
  async getMany(kind: string, refs: string[]): Promise<Map<string, SlackMessageRef>> {
    if (refs.length === 0) return new Map();
    const rows = await this.db('slack_messages').where({ kind }).whereIn('ref', refs);
    return new Map(rows.map((r) => [r.ref as string, { channel: r.channel as string, ts: r.ts as string }]));
  }

  async save(kind: string, ref: string, message: SlackMessageRef, at: Date): Promise<void> {
    await this.db('slack_messages')
      .insert({ kind, ref, channel: message.channel, ts: message.ts, posted_at: at.getTime() })
      .onConflict(['kind', 'ref'])
      .merge(['channel', 'ts']);
  }
}

/** Keys of requests already handled, so a retried event or a repeated submission has no second effect. */
export class ProcessedRequestStore implements ProcessedRequestPort {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** Records the key; false when it was recorded before (the request is a repeat). */
  async claim(key: string, at: Date): Promise<boolean> {
    const rows = await this.db('processed_requests').insert({ key, at: at.getTime() }).onConflict('key').ignore().returning('key');
    return rows.length === 1;
  }

  /** Forgets keys older than an instant (they are only needed for Slack's retry window). */
  async prune(before: Date): Promise<number> {
    return Number(await this.db('processed_requests').where('at', '<', before.getTime()).delete());
  }
}
