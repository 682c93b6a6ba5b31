/**
 * What the Slack layer keeps in the database for itself: where each living message was
 * posted (so it is updated in place, and never posted twice) and the keys of requests
 * already handled (so a retried event or a repeated submission has no second effect).
 */
import type { SlackMessageRef, Stores } from './ports';

export class SlackRecords {
  /** `readers`: the same ports over a connection that reads without waiting behind writes (see createServices). */
  constructor(
    private readonly stores: Pick<Stores, 'slackMessages' | 'processed'>,
    private readonly readers: Pick<Stores, 'slackMessages'> = stores,
  ) {}

  /** Where a message of `kind` about `ref` was posted; null if it never was. */
  posted(kind: string, ref: string): Promise<SlackMessageRef | null> {
    return this.readers.slackMessages.get(kind, ref);
  }

  /** Where the messages of many refs of one kind were posted (absent: never). */
  postedMany(kind: string, refs: string[]): Promise<Map<string, SlackMessageRef>> {
    return this.readers.slackMessages.getMany(kind, refs);
  }

  remember(kind: string, ref: string, message: SlackMessageRef, at: Date): Promise<void> {
    return this.stores.slackMessages.save(kind, ref, message, at);
  }

  /** Records a request's key; false when it was handled before (the request is a repeat). */
  claimRequest(key: string, at: Date): Promise<boolean> {
    return this.stores.processed.claim(key, at);
  }

  /** Forgets request keys older than `before` (needed only for Slack's retry window). */
  forgetRequestsBefore(before: Date): Promise<number> {
    return this.stores.processed.prune(before);
  }
}
