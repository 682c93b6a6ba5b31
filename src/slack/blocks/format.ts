import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { PracticeCalendar } from '../../domain/calendar';

/** An instant in practice time, e.g. "Wed Nov 25, 2:00 PM". */
export function formatPracticeTime(at: Date, cal: PracticeCalendar): string {
  return format(new TZDate(at, cal.timeZone), 'EEE MMM d, h:mm a');
}

/** A practice date 'YYYY-MM-DD' as "Mon Nov 30". */
export function formatPracticeDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return format(new Date(y!, m! - 1, d!), 'EEE MMM d');
}

/** Cuts text to at most `max` characters, marking the cut, so Slack never rejects it. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
