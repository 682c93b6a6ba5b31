import { isDatabaseFailure } from '../database-health';

interface Waiting<In, Out> {
  item: In;
  resolve(out: Out): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items submitted while a commit is under way wait, and all of them go into
 * the next commit together, so a burst of requests costs a few transactions, not one each.
 * Before each commit the event loop is let through once (`setImmediate`, no timer): the
 * requests already received are read and join the group. better-sqlite3 answers
 * synchronously, so without that a one-event transaction would finish before the next
 * request is even read, and every group would be of one. A lone item waits no longer.
 *
 * Each caller is told its own outcome: `commit` answers one result per item, in order.
 * When a group's commit fails for a reason other than the database being unavailable
 * (a row the database refuses, a bug), one item may be to blame, so each item of that
 * group is committed again on its own: the others still go in and only the culprit's
 * caller hears of the error. When the database is unavailable, every caller of the
 * group gets the error at once (nothing was written: the group was one transaction).
 */
export class GroupCommit<In, Out> {
  private waiting: Waiting<In, Out>[] = [];
  private committing = false;

  constructor(
    private readonly commit: (items: In[]) => Promise<Out[]>,
    /** Most items in one commit; more wait for the next. */
    private readonly maxGroup = 500,
  ) {}

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.committing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.committing = true;
    try {
      while (this.waiting.length > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        await this.commitGroup(this.waiting.splice(0, this.maxGroup));
      }
    } finally {
      this.committing = false;
    }
  }

  private async commitGroup(group: Waiting<In, Out>[]): Promise<void> {
    try {
      const results = await this.commit(group.map((w) => w.item));
      group.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (group.length === 1 || isDatabaseFailure(error)) {
        for (const w of group) w.reject(error);
        return;
      }
      await Promise.all(group.map((w) => this.commit([w.item]).then(([out]) => w.resolve(out!), w.reject)));
    }
  }
}
