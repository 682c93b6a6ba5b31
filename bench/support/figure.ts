/**
 * What every figure reports, and how a figure line reads: the measured value, the
 * floor measured in the same run, their ratio, the goal and whether it was met.
 * Ratios, not absolute times, are what the goals mostly judge: these machines are
 * shared and noisy, and a floor measured seconds earlier carries the same noise.
 */

export type Unit = 'ms' | 'MB';

/** One figure line's content. */
export interface FigureResult {
  /** What was measured, with its size, e.g. "SLA sweep, 100,000 open, 1% breaching [sqlite]". */
  name: string;
  value: number;
  unit: Unit;
  /** The floor, in the same unit; null when the goal is absolute only. */
  floor: number | null;
  /** What the floor is, e.g. "single indexed query". */
  floorName?: string;
  /** The goal as written in the issue, e.g. "ratio ≤ 3". */
  goal: string;
  pass: boolean;
  /** Secondary figures and counts (p50, rows checked, limits). */
  note?: string;
}

/** What a figure module gives run.ts. */
export interface BenchFigure {
  /** The name `--only` selects it by. */
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<FigureResult[]>;
}

/** What run.ts gives each figure. */
export interface BenchContext {
  /** `--quick`: a tenth of the sizes, for development; goals are still judged. */
  quick: boolean;
  /** Scales a size down in quick mode. */
  size(full: number): number;
  /** Progress for a person watching (stderr, only on a terminal). */
  progress(message: string): void;
}

/** "12.3 ms", "183 MB". */
export function formatValue(value: number, unit: Unit): string {
  if (unit === 'MB') return `${value.toFixed(0)} MB`;
  return value >= 100 ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;
}

/** Value ÷ floor, or null when there is no floor. */
export function ratioOf(f: FigureResult): number | null {
  return f.floor === null || f.floor <= 0 ? null : f.value / f.floor;
}

/** One figure line: name, value, floor, ratio, goal, PASS/MISS, note; columns separated by two spaces or more. */
export function formatFigure(f: FigureResult): string {
  const ratio = ratioOf(f);
  const cells = [
    f.name.padEnd(58),
    formatValue(f.value, f.unit).padStart(9),
    `floor ${f.floor === null ? '—' : formatValue(f.floor, f.unit)}`.padEnd(17),
    `ratio ${ratio === null ? '—' : `${ratio.toFixed(2)}×`}`.padEnd(13),
    `goal ${f.goal}`.padEnd(34),
    f.pass ? 'PASS' : 'MISS',
  ];
  const floorName = f.floorName ? `floor: ${f.floorName}` : '';
  const note = [floorName, f.note].filter(Boolean).join('; ');
  return `${cells.join('  ')}${note ? `  (${note})` : ''}`;
}

/** A figure that could not be measured (its data or app failed): reported, never hidden. */
export function failedFigure(name: string, error: unknown): string {
  const message = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 300) : String(error);
  return `${name.padEnd(58)}  ERROR  ${message}`;
}
