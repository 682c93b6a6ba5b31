import { describe, expect, it } from 'vitest';
import { earlierNoShowsText, noShowWindow } from '../../src/domain/no-shows';

describe('earlier no-shows', () => {
  it('count the 12 calendar months before the trigger, the trigger itself excluded', () => {
    const occurredAt = new Date('2026-03-31T13:00:00.000Z');
    expect(noShowWindow({ lane: 'missed_appointment', occurredAt })).toEqual({ from: new Date('2025-03-31T13:00:00.000Z'), to: occurredAt });
  });

  it('belong to missed-appointment cases only', () => {
    expect(noShowWindow({ lane: 'referral', occurredAt: new Date('2026-03-31T13:00:00.000Z') })).toBeNull();
  });

  it('read as a count', () => {
    expect(earlierNoShowsText(0)).toBe('No earlier no-shows in 12 months');
    expect(earlierNoShowsText(1)).toBe('1 earlier no-show in 12 months');
    expect(earlierNoShowsText(2)).toBe('2 earlier no-shows in 12 months');
  });
});
