import type { SlackFailure } from './slack-errors';

export interface HealthReport {
  status: 'ok' | 'failing';
  database: { ok: boolean; error?: string };
  slack: { ok: boolean; state: SlackState; error?: string; pendingDeliveries?: number };
}

export type SlackState = 'unknown' | 'ok' | 'unreachable' | 'misconfigured';

/**
 * What /healthz reports about Slack delivery: the last delivery outcome and any
 * setup problem. Updated by the start-up check and the outbox dispatcher.
 */
export class SlackHealth {
  private state: SlackState = 'unknown';
  private error: string | undefined;

  recordSuccess(): void {
    if (this.state !== 'misconfigured') {
      this.state = 'ok';
      this.error = undefined;
    }
  }

  recordFailure(failure: SlackFailure, description: string): void {
    if (failure.kind === 'permanent') {
      this.state = 'misconfigured';
      this.error = description;
    } else if (this.state !== 'misconfigured') {
      this.state = 'unreachable';
      this.error = description;
    }
  }

  /** A start-up check that passed clears an earlier setup problem. */
  recordHealthyCheck(): void {
    this.state = 'ok';
    this.error = undefined;
  }

  snapshot(): { ok: boolean; state: SlackState; error?: string } {
    return { ok: this.state === 'ok' || this.state === 'unknown', state: this.state, ...(this.error ? { error: this.error } : {}) };
  }
}
