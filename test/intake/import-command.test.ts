import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock';
import { importCommand } from '../../src/commands/import';
import { ConfigError } from '../../src/config';
import { HEADER, MIXED_ROWS, row, writeCsv } from './csv-fixtures';

/** Output captured as text; `tty` makes it look like a terminal. */
function capture(tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => new Writable({ write: (chunk, _e, done) => (into.push(String(chunk)), done()) });
  const stdout = Object.assign(sink(out), { isTTY: tty, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { io: { stdout, stderr: sink(err), clock: new FixedClock('2026-11-25T10:00:00-05:00') }, out: () => out.join(''), err: () => err.join('') };
}

/** Only the database setting: the command must not ask for Slack settings. */
const env = () => ({ DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'carebridge-db-')), 'carebridge.sqlite')}` });

describe('carebridge import', () => {
  it('prints each rejected row by line and column and the summary; exit 1 when a row was rejected', async () => {
    const c = capture();
    const e = env();
    expect(await importCommand([writeCsv(MIXED_ROWS)], e, c.io)).toBe(1);
    const lines = c.out().trimEnd().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^line 7, column occurred_at: must be an ISO 8601 time/), 'created 6, duplicates 1, rejected 1']);
    expect(c.out()).not.toMatch(/Importing|\u001b\[/); // no progress bar when stdout is not a terminal

    // The same database again, fixed file: everything is a duplicate, exit 0.
    const again = capture();
    const fixed = MIXED_ROWS.filter((_, i) => i !== 5);
    expect(await importCommand([writeCsv(fixed)], e, again.io)).toBe(0);
    expect(again.out()).toBe('created 0, duplicates 7, rejected 0\n');
  });

  it('exits 0 when every row was created or a duplicate, and shows a progress bar on a terminal', async () => {
    const c = capture(true);
    const rows = Array.from({ length: 600 }, (_, i) => row(`tty-${i % 550}`));
    expect(await importCommand([writeCsv([HEADER, ...rows])], env(), c.io)).toBe(0);
    expect(c.out()).toContain('Importing');
    expect(c.out()).toMatch(/created 550, duplicates 50, rejected 0\n$/);
  });

  it('explains a bad file, a missing file and a missing argument', async () => {
    const header = capture();
    expect(await importCommand([writeCsv(['mrn,name', 'a,b'])], env(), header.io)).toBe(1);
    expect(header.err()).toMatch(/missing column\(s\) external_id.*Nothing was imported/s);

    const missing = capture();
    expect(await importCommand(['/nonexistent/events.csv'], env(), missing.io)).toBe(1);
    expect(missing.err()).toContain('cannot read /nonexistent/events.csv: ENOENT');

    const usage = capture();
    expect(await importCommand([], env(), usage.io)).toBe(2);
    expect(usage.err()).toMatch(/^Usage: carebridge import <file.csv>/);
  });

  it('names a file that is not an import file by line and column, never printing its contents', async () => {
    const secrets = ['root:$6$Zq1sAlT$hAsHeDpAsSwOrD:19700:0:99999:7:::', 'daemon:*:19700:0:99999:7:::', 'maria:$6$pEpPeR$OtHeRhAsH,with,commas:19700:0:99999:7:::'];
    const c = capture();
    expect(await importCommand([writeCsv(secrets)], env(), c.io)).toBe(1);
    expect(c.err()).toMatch(/line 1 \(the header\): unknown column\(s\) column 1; missing column\(s\) external_id/);
    for (const secret of ['root', '$6$', 'Zq1sAlT', 'hAsHeD', 'daemon', 'maria', 'OtHeRhAsH', 'with', '19700']) expect(c.err() + c.out()).not.toContain(secret);

    // The same for a header whose cells are a patient's details (the header line was forgotten).
    const noHeader = capture();
    expect(await importCommand([writeCsv(['EXT-1,new_referral,2026-11-24T09:00:00Z,MRN0001,Zelda Quistorp'])], env(), noHeader.io)).toBe(1);
    expect(noHeader.err()).toMatch(/unknown column\(s\) column 1, column 2, column 3, column 4, column 5;/);
    for (const secret of ['EXT-1', 'MRN0001', 'Zelda', 'new_referral']) expect(noHeader.err()).not.toContain(secret);
  });

  it('stops with a settings error naming the variable', async () => {
    await expect(importCommand([writeCsv(MIXED_ROWS)], { ...env(), PRACTICE_TIMEZONE: 'Mars/Olympus' }, capture().io)).rejects.toThrow(ConfigError);
    await expect(importCommand([writeCsv(MIXED_ROWS)], { DATABASE_URL: 'mysql://x' }, capture().io)).rejects.toThrow(/DATABASE_URL/);
  });
});
