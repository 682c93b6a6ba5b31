import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CsvError, parse, type Parser } from 'csv-parse';
import type { Clock } from '../clock';
import { validateTriggerEvent, type TriggerEvent } from '../domain/trigger-event';
import type { CaseService } from '../services/case-service';
import { CSV_COLUMNS, CsvFileError, columnOf, csvRowToIntake, readHeader, type CsvHeader } from './csv-columns';
import { LineCounter } from './line-counter';

export { CsvFileError };

/** A row that was not imported: where (physical line, header = line 1; column name when one is to blame) and why. */
export interface RowProblem {
  line: number;
  column: string | null;
  message: string;
}

/** What an import did: counts of rows, and why each rejected row was refused. */
export interface ImportSummary {
  created: number;
  duplicates: number;
  /** Rows not imported. */
  rejectedRows: number;
  /** Every problem of every rejected row (a row may have several), in file order. */
  rejected: RowProblem[];
}

/** The case service the rows are opened through, and the clock `occurred_at` is checked against. */
export interface ImportDeps {
  cases: CaseService;
  clock: Clock;
}

/** Tuning and progress reporting (the command's progress bar). */
export interface ImportOptions {
  /** Rows written per transaction (default 500). */
  chunkSize?: number;
  onProgress?: (progress: { bytesRead: number; rows: number }) => void;
}

/** `line 7, column occurred_at: must be …`, or `line 7: …` for a row-wide problem. */
export function formatProblem(p: RowProblem): string {
  return p.column ? `line ${p.line}, column ${p.column}: ${p.message}` : `line ${p.line}: ${p.message}`;
}

/** Imports a CSV file of trigger events (docs/intake.md); see `importCsv`. */
export async function importCsvFile(path: string, deps: ImportDeps, options: ImportOptions = {}): Promise<ImportSummary> {
  try {
    if (!(await stat(path)).isFile()) throw new CsvFileError(`${path} is not a file`);
  } catch (error) {
    if (error instanceof CsvFileError) throw error;
    throw new CsvFileError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return importCsv(createReadStream(path), deps, options);
}

/**
 * Imports CSV rows as cases: each row is validated like an intake event; good rows are
 * opened a chunk (one transaction) at a time, repeated external ids count as duplicates,
 * bad rows are reported by line and column. Quoting that never closes stops the import
 * there: the rows before it are imported and the break is reported.
 */
export async function importCsv(input: AsyncIterable<Buffer | string>, deps: ImportDeps, options: ImportOptions = {}): Promise<ImportSummary> {
  return new ImportRun(deps, options).read(input);
}

interface ParsedRecord {
  fields: string[];
  /** Bytes of the file up to the end of this record. */
  bytes: number;
  /** Blank lines skipped so far. */
  emptyLines: number;
}

class ImportRun {
  readonly summary: ImportSummary = { created: 0, duplicates: 0, rejectedRows: 0, rejected: [] };
  private readonly lines = new LineCounter();
  private readonly parsed: ParsedRecord[] = [];
  private readonly parser: Parser;
  private header: CsvHeader | null = null;
  private pending: TriggerEvent[] = [];
  private recordEnd = 0;
  private emptyLines = 0;
  private rows = 0;

  constructor(
    private readonly deps: ImportDeps,
    private readonly options: ImportOptions,
  ) {
    // Records are taken as they are parsed, not read from the stream: a stream that fails
    // drops what it had buffered, and the rows before a quoting error must still count.
    this.parser = parse({
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (fields: string[], info) => {
        this.parsed.push({ fields, bytes: info.bytes, emptyLines: info.empty_lines });
        return null;
      },
    });
    this.parser.on('error', () => {}); // answered through the write and end callbacks
    this.parser.resume();
  }

  async read(input: AsyncIterable<Buffer | string>): Promise<ImportSummary> {
    let failure: unknown = null;
    for await (const chunk of input) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      this.lines.count(bytes);
      failure = await new Promise((resolve) => this.parser.write(bytes, (error) => resolve(error ?? null)));
      await this.take();
      if (failure) break;
    }
    failure ??= await new Promise((resolve) => {
      this.parser.once('error', resolve).once('finish', () => resolve(null));
      this.parser.end();
    });
    await this.take();
    if (failure && !(failure instanceof CsvError)) throw failure;
    if (failure instanceof CsvError) {
      if (!this.header) throw new CsvFileError(`line 1: ${describeCsvError(failure)}`);
      const skipped = (failure as { empty_lines?: number }).empty_lines ?? this.emptyLines;
      this.reject(this.lineOfNext(skipped), [
        { column: null, message: `${describeCsvError(failure)}; the rest of the file was not read. Fix it and import the file again (imported rows count as duplicates)` },
      ]);
    }
    if (!this.header) throw new CsvFileError(`the file is empty; its first line must name the columns (${CSV_COLUMNS.join(',')})`);
    await this.flush();
    this.options.onProgress?.({ bytesRead: this.recordEnd, rows: this.rows });
    return this.summary;
  }

  /** Handles the records parsed so far. */
  private async take(): Promise<void> {
    for (const record of this.parsed.splice(0)) {
      const line = this.lineOfNext(record.emptyLines);
      this.recordEnd = record.bytes;
      this.emptyLines = record.emptyLines;
      await this.row(line, record.fields);
    }
  }

  /** A record starts where the last one ended, after any blank lines the parser skipped. */
  private lineOfNext(emptyLinesSoFar: number): number {
    return this.lines.lineAt(this.recordEnd) + emptyLinesSoFar - this.emptyLines;
  }

  private async row(line: number, fields: string[]): Promise<void> {
    if (!this.header) {
      this.header = readHeader(fields);
      return;
    }
    // Spreadsheets export blank rows as a line of commas; they are not rows.
    if (fields.every((field) => field.trim() === '')) return;
    this.rows++;
    if (this.rows % 200 === 0) this.options.onProgress?.({ bytesRead: this.recordEnd, rows: this.rows });
    if (fields.length !== this.header.length) {
      this.reject(line, [{ column: null, message: `has ${fields.length} fields but the header has ${this.header.length} (is a comma unquoted?)` }]);
      return;
    }
    const checked = validateTriggerEvent(csvRowToIntake(this.header, fields), { now: this.deps.clock.now(), requireExternalId: true });
    if (!checked.ok) {
      this.reject(line, Object.entries(checked.errors).map(([field, message]) => ({ column: columnOf(field), message })));
      return;
    }
    this.pending.push(checked.value);
    if (this.pending.length >= (this.options.chunkSize ?? 500)) await this.flush();
  }

  /** Opens the pending rows' cases in one transaction. */
  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const opened = await this.deps.cases.openCases(this.pending);
    this.pending = [];
    for (const { created } of opened) {
      if (created) this.summary.created++;
      else this.summary.duplicates++;
    }
  }

  private reject(line: number, problems: { column: string | null; message: string }[]): void {
    this.summary.rejectedRows++;
    for (const p of problems) this.summary.rejected.push({ line, ...p });
  }
}

function describeCsvError(error: CsvError): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted field starting here is never closed';
  if (error.code === 'CSV_INVALID_CLOSING_QUOTE') return 'a closing quote is followed by other text (write "" for a quote inside a quoted field)';
  return `cannot be read as CSV (${error.code})`;
}
