const LF = 0x0a;
/** Forget counted breaks in batches, so a long file never keeps them all. */
const COMPACT_AFTER = 4096;

/**
 * Notes where each line break falls in the bytes fed to it, so the byte offsets a CSV
 * parser reports become physical line numbers. (The parser's own line count is off after
 * a quoted field holding a CRLF, and users fix rows by the line their editor shows.)
 * A line ends with LF or CRLF.
 */
export class LineCounter {
  /** Offsets just after each line break not yet passed by `lineAt`. */
  private breakEnds: number[] = [];
  private passed = 0;
  private cursor = 0;
  private offset = 0;

  /** Feeds the next bytes of the file. */
  count(chunk: Buffer): void {
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) this.breakEnds.push(this.offset + i + 1);
    this.offset += chunk.length;
  }

  /** The 1-based line of the byte at `offset`. Offsets must not decrease from one call to the next. */
  lineAt(offset: number): number {
    while (this.cursor < this.breakEnds.length && this.breakEnds[this.cursor]! <= offset) this.cursor++;
    if (this.cursor > COMPACT_AFTER) {
      this.breakEnds = this.breakEnds.slice(this.cursor);
      this.passed += this.cursor;
      this.cursor = 0;
    }
    return 1 + this.passed + this.cursor;
  }
}
