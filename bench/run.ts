/**
 * `npm run bench`: builds its own data, measures every figure of issue 7 against a floor
 * measured in the same run, and prints the machine first, then one line per figure.
 *
 *   npm run bench                        every figure, full sizes (writes bench/RESULTS.md)
 *   npm run bench -- --only sweep,metrics
 *   npm run bench -- --quick             a tenth of the sizes, for development
 *
 * PostgreSQL figures are added when TEST_DATABASE_URL is set (each in a schema of its own).
 */
import { cpus, platform, arch, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { interactionFigure } from './interaction';
import { eventLoopFigure } from './event-loop';
import { intakeFigure } from './intake';
import { memoryFigure } from './memory';
import { mondayFigure } from './monday';
import { slaSweepFigure } from './sla-sweep';
import { startupFigure } from './startup';
import { surfacesFigure } from './surfaces';
import { weeklyMetricsFigure } from './weekly-metrics';
import { stopAllApps } from './support/app-process';
import { ensureCompiled } from './support/compiled';
import { destroyAllDatabases, removeScratch } from './support/databases';
import { failedFigure, formatFigure, type BenchContext, type BenchFigure } from './support/figure';
import { databaseVersions } from './support/machine';
import { writeResults } from './support/results-file';

/** In the order of the issue; `--only` takes these ids. */
const FIGURES: BenchFigure[] = [interactionFigure, slaSweepFigure, weeklyMetricsFigure, surfacesFigure, eventLoopFigure, mondayFigure, intakeFigure, memoryFigure, startupFigure];

function parse(): { quick: boolean; only: BenchFigure[] } {
  const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  if (values.help) {
    process.stdout.write(`Usage: npm run bench [-- [--quick] [--only ${FIGURES.map((f) => f.id).join(',')}]]\n`);
    process.exit(0);
  }
  const ids = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : FIGURES.map((f) => f.id);
  const unknown = ids.filter((id) => !FIGURES.some((f) => f.id === id));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown figure(s) ${unknown.join(', ')}; choose from ${FIGURES.map((f) => f.id).join(', ')}\n`);
    process.exit(2);
  }
  return { quick: values.quick ?? false, only: FIGURES.filter((f) => ids.includes(f.id)) };
}

async function main(): Promise<number> {
  const { quick, only } = parse();
  const started = Date.now();
  const ctx: BenchContext = {
    quick,
    size: (full) => (quick ? Math.max(1, Math.round(full / 10)) : full),
    progress: (message) => {
      if (process.stderr.isTTY) process.stderr.write(`  … ${message}\n`);
    },
  };
  const cpu = cpus();
  const machine = `CPU ${cpu[0]?.model.trim() ?? 'unknown'} (${cpu.length} cores), Node ${process.version}, ${platform()} ${arch()}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${await databaseVersions()}`;
  const lines = [machine];
  process.stdout.write(`${machine}\n`);
  // The app runs as production runs it: compiled (built now if dist/ is missing or stale).
  ctx.progress(await ensureCompiled());
  let failed = false;
  for (const figure of only) {
    try {
      for (const result of await figure.run(ctx)) {
        const line = formatFigure(result);
        lines.push(line);
        process.stdout.write(`${line}\n`);
      }
    } catch (error) {
      failed = true;
      const line = failedFigure(figure.title, error);
      lines.push(line);
      process.stdout.write(`${line}\n`);
      if (process.env.BENCH_DEBUG) console.error(error);
    }
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const complete = !quick && only.length === FIGURES.length;
  const closing = `total ${Math.floor(seconds / 60)} min ${seconds % 60} s${quick ? ', quick sizes' : ''}${complete ? '' : '; bench/RESULTS.md left as it was (full runs only)'}`;
  lines.push(closing);
  process.stdout.write(`${closing}\n`);
  if (complete) await writeResults(lines);
  return failed ? 1 : 0;
}

/** Stops the app processes, drops PostgreSQL schemas and removes the scratch folder. */
async function cleanUp(): Promise<void> {
  stopAllApps();
  await destroyAllDatabases();
  removeScratch();
}

// Ctrl-C: clean up before leaving, as a finished run does.
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

try {
  process.exitCode = await main();
} finally {
  await cleanUp();
}
