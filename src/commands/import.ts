import { stat } from 'node:fs/promises';
import { Presets, SingleBar } from 'cli-progress';
import { systemClock, type Clock } from '../clock';
import { loadPracticeSettings } from '../config';
import { CsvFileError, formatProblem, importCsvFile } from '../intake/csv-import';
import { loadPolicy } from '../policy-file';
import { CaseService } from '../services/case-service';
import { migrate, openDatabase } from '../store/db';
import { createStores } from '../store/stores';

/** Where the command writes; tests pass their own. */
export interface ImportIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  clock?: Clock;
}

const USAGE = 'Usage: carebridge import <file.csv>   (columns: see docs/intake.md)\n';

/**
 * `carebridge import <file.csv>`: needs only DATABASE_URL and the practice settings.
 * Prints each rejected row as `line N, column <name>: message`, then
 * `created X, duplicates Y, rejected Z`. Exit 0 when every row was created or a
 * duplicate, 1 when any was rejected or the file could not be read, 2 on a usage error.
 */
export async function importCommand(args: string[], env: NodeJS.ProcessEnv, io: ImportIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [file, ...extra] = args;
  if (!file || extra.length > 0 || file.startsWith('-')) {
    io.stderr.write(USAGE);
    return 2;
  }
  const settings = loadPracticeSettings(env);
  const policy = loadPolicy(settings.POLICY_FILE, settings.PRACTICE_TIMEZONE);
  const clock = io.clock ?? systemClock;
  const db = openDatabase(settings.DATABASE_URL);
  // A bar only on a terminal: piped or logged output gets the plain report.
  const bar = io.stdout.isTTY
    ? new SingleBar({ stream: io.stdout, format: 'Importing {bar} {percentage}% | {rows} rows | ETA {eta_formatted}', hideCursor: true }, Presets.shades_classic)
    : null;
  try {
    await migrate(db);
    const cases = new CaseService({ stores: createStores(db.knex, policy.calendar), clock, policy });
    bar?.start(await fileSize(file), 0, { rows: 0 });
    const summary = await importCsvFile(file, { cases, clock }, { onProgress: (p) => bar?.update(p.bytesRead, { rows: p.rows }) });
    bar?.stop();
    for (const problem of summary.rejected) io.stdout.write(`${formatProblem(problem)}\n`);
    io.stdout.write(`created ${summary.created}, duplicates ${summary.duplicates}, rejected ${summary.rejectedRows}\n`);
    return summary.rejectedRows > 0 ? 1 : 0;
  } catch (error) {
    bar?.stop();
    if (!(error instanceof CsvFileError)) throw error;
    io.stderr.write(`carebridge import: ${file}: ${error.message}\nNothing was imported.\n`);
    return 1;
  } finally {
    await db.close();
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0; // importCsvFile reports the unreadable file
  }
}
