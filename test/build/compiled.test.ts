/**
 * Production runs compiled JavaScript: `npm run build` (run by `npm ci`) compiles the
 * sources into dist/, and `bin/carebridge.js` runs dist/ while it is current, else the
 * sources through tsx. These tests build for real (into a folder of their own, so a
 * developer's dist/ is left alone) and run the result in plain Node, with no loader: a
 * TypeScript file reached at run time would fail them.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEntry } from '../../bin/choose-entry.js';
import { BUNDLED_PACKAGES, buildCareBridge, type BuildResult } from '../../scripts/build.mjs';
import { LANE_LABELS } from '../../src/domain/policy';
import { LANES } from '../../src/domain/types';
import type { WeeklyTrend } from '../../src/reports/weekly-chart';
import { PNG_SIGNATURE, decodePng } from '../reports/png';

const ROOT = resolve(__dirname, '../..');
/** Inside the project (under node_modules/.cache), so the compiled code finds its npm packages as dist/ would. */
const OUTDIR = `node_modules/.cache/carebridge-test-dist-${process.pid}-${randomBytes(3).toString('hex')}`;
const OUT = join(ROOT, OUTDIR);

/** Runs a module in plain Node (no tsx, no vitest), in an empty folder with only `env`; returns what it printed. */
function runPlainNode(script: string, env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'carebridge-compiled-'));
  try {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

const outUrl = (file: string) => pathToFileURL(join(OUT, file)).href;

describe('the compiled build', () => {
  let build: BuildResult;

  beforeAll(async () => {
    build = await buildCareBridge({ root: ROOT, outdir: OUTDIR });
  }, 60_000);
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('compiles the command line, every migration and the chart worker, and lists what went in', () => {
    expect(build.outputs).toEqual(expect.arrayContaining(['cli.mjs', 'chart-worker.mjs', 'chart-pool.mjs']));
    const migrations = readdirSync(join(ROOT, 'migrations')).filter((f) => f.endsWith('.ts')).map((f) => `migrations/${f}`);
    expect(migrations.length).toBeGreaterThan(10);
    expect(build.inputs).toEqual(expect.arrayContaining(['src/cli.ts', 'src/main.ts', 'src/reports/chart-task.ts', ...migrations]));
    // Only CareBridge's own files: npm packages change through npm, which builds again.
    expect(build.inputs.filter((file) => !/^(src|migrations)\//.test(file))).toEqual([]);
    const info = JSON.parse(readFileSync(join(OUT, 'build-info.json'), 'utf8'));
    expect(info.inputs).toEqual(build.inputs);
    expect(info.startedAtMs).toBeLessThanOrEqual(Date.now());
  });

  it('leaves no TypeScript or tsx behind: every relative import names a compiled file', () => {
    const modules = readdirSync(OUT).filter((f) => f.endsWith('.mjs'));
    for (const file of modules) {
      const text = readFileSync(join(OUT, file), 'utf8');
      expect(text, file).not.toMatch(/from\s*["']tsx|import\(["']tsx/);
      for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        expect(existsSync(resolve(OUT, spec!)), `${file} imports ${spec}`).toBe(true);
        expect(spec, file).toMatch(/\.mjs$/);
      }
    }
  });

  it('compiles in the ES-module packages it bundles, and loads every other package from node_modules', () => {
    const imported = new Set<string>();
    for (const file of readdirSync(OUT).filter((f) => f.endsWith('.mjs'))) {
      const text = readFileSync(join(OUT, file), 'utf8');
      for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*["']([^."'][^"']*)["']/g)) imported.add(spec!);
    }
    for (const name of BUNDLED_PACKAGES) expect([...imported].filter((spec) => spec === name || spec.startsWith(`${name}/`)), name).toEqual([]);
    expect([...imported]).toEqual(expect.arrayContaining(['@slack/bolt', 'knex', 'pino', 'piscina']));
  });

  it('runs in plain Node: --help, and a start without settings stops naming SLACK_BOT_TOKEN', () => {
    const help = runPlainNode(`const { main } = await import(${JSON.stringify(outUrl('cli.mjs'))}); process.exitCode = await main(['--help']);`);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: carebridge <command>/);
    const start = runPlainNode(`const { main } = await import(${JSON.stringify(outUrl('cli.mjs'))}); process.exitCode = await main(['start'], {});`);
    expect(start.code).toBe(78);
    expect(start.stderr).toMatch(/CareBridge cannot start: \d+ setting\(s\) need fixing/);
    expect(start.stderr).toContain('SLACK_BOT_TOKEN');
  });

  it('migrates an empty SQLite database in plain Node, with the compiled migrations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carebridge-compiled-db-'));
    try {
      const file = join(dir, 'carebridge.sqlite');
      const run = runPlainNode(`const { main } = await import(${JSON.stringify(outUrl('cli.mjs'))}); process.exitCode = await main(['migrate'], { DATABASE_URL: ${JSON.stringify(`sqlite:${file}`)} });`);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Applied \d+ migration\(s\): 20261127210000_create_core_tables/);
      const db = knexFactory({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
      try {
        const applied = (await db('knex_migrations').select('name')) as { name: string }[];
        const migrations = readdirSync(join(ROOT, 'migrations')).filter((f) => /^\d{14}_.*\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ''));
        expect(applied.map((r) => r.name).sort()).toEqual(migrations.sort());
      } finally {
        await db.destroy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(process.env.TEST_DATABASE_URL)('migrates an empty PostgreSQL schema in plain Node', async () => {
    const admin = knexFactory({ client: 'pg', connection: process.env.TEST_DATABASE_URL!, pool: { min: 0, max: 1 } });
    const schema = `cb_compiled_${process.pid}_${randomBytes(3).toString('hex')}`;
    await admin.raw('CREATE SCHEMA ??', [schema]);
    try {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const run = runPlainNode(`const { main } = await import(${JSON.stringify(outUrl('cli.mjs'))}); process.exitCode = await main(['migrate'], { DATABASE_URL: ${JSON.stringify(url.toString())} });`);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Applied \d+ migration\(s\)/);
      const tables = (await admin.raw('select table_name from information_schema.tables where table_schema = ?', [schema])).rows as { table_name: string }[];
      expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['cases', 'case_events', 'outbox']));
    } finally {
      await admin.raw('DROP SCHEMA ?? CASCADE', [schema]);
      await admin.destroy();
    }
  });

  it('renders the weekly chart on the compiled worker thread, with no loader', () => {
    const trend: WeeklyTrend = {
      laneLabels: LANE_LABELS,
      weeks: Array.from({ length: 8 }, (_, i) => ({
        week: `2026-W${41 + i}`,
        withinWindowRate: 0.5 + i / 20,
        unresolvedByLane: Object.fromEntries(LANES.map((l, j) => [l, (i + j) % 5])) as WeeklyTrend['weeks'][number]['unresolvedByLane'],
      })),
    };
    const run = runPlainNode(
      `const { renderChartOffThread, closeChartPool } = await import(${JSON.stringify(outUrl('chart-pool.mjs'))});
       const png = await renderChartOffThread(${JSON.stringify(trend)});
       await closeChartPool();
       process.stdout.write(png.toString('base64'));`,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const png = Buffer.from(run.stdout, 'base64');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const { width, height } = decodePng(png);
    expect([width, height]).toEqual([1920, 1120]);
  }, 60_000);
});

describe('which code bin/carebridge.js runs', () => {
  let root: string;
  const rootUrl = () => pathToFileURL(`${root}/`);
  const writeBuild = (startedAtMs: number, inputs: string[]) => {
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'dist', 'build-info.json'), JSON.stringify({ startedAtMs, inputs }));
  };
  /** Sets a file's modification time, in ms since the epoch. */
  const touch = (file: string, ms: number) => utimesSync(join(root, file), ms / 1000, ms / 1000);

  beforeAll(() => {
    // A project folder of its own: the real bin/, stand-ins for the sources and dist/.
    root = mkdtempSync(join(tmpdir(), 'carebridge-entry-'));
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'src'));
    for (const file of ['carebridge.js', 'choose-entry.js']) copyFileSync(join(ROOT, 'bin', file), join(root, 'bin', file));
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
    writeFileSync(join(root, 'src', 'cli.ts'), "export async function main(argv: string[]): Promise<number> { console.log(`sources ${argv.join(' ')}`); return 4; }\n");
    writeFileSync(join(root, 'src', 'other.ts'), 'export {};\n');
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'cli.mjs'), "export async function main(argv) { console.log(`compiled ${argv.join(' ')}`); return 3; }\n");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const runBin = (env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(root, 'bin', 'carebridge.js'), 'x', 'y'], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 });

  it('runs dist/ when every source that went into it is older than the build', () => {
    const built = Date.now() - 60_000;
    writeBuild(built, ['src/cli.ts', 'src/other.ts']);
    touch('src/cli.ts', built - 1_000);
    touch('src/other.ts', built - 1_000);
    expect(chooseEntry(rootUrl(), {}).mode).toBe('compiled');
    const run = runBin();
    expect(run.stdout).toBe('compiled x y\n');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
  });

  it('runs the sources through tsx, and says why, when a source changed after the build', () => {
    const built = Date.now() - 60_000;
    writeBuild(built, ['src/cli.ts', 'src/other.ts']);
    touch('src/cli.ts', built - 1_000);
    touch('src/other.ts', built + 1_000);
    expect(chooseEntry(rootUrl(), {})).toMatchObject({ mode: 'tsx', stale: true, reason: expect.stringContaining('src/other.ts changed since dist/ was built') });
    const run = runBin();
    expect(run.stdout).toBe('sources x y\n');
    expect(run.stderr).toMatch(/^carebridge: running the TypeScript sources through tsx: src\/other\.ts changed/);
    expect(run.status).toBe(4);
  });

  it('runs the sources when a file that went into the build is gone', () => {
    writeBuild(Date.now(), ['src/cli.ts', 'src/removed.ts']);
    touch('src/cli.ts', Date.now() - 60_000);
    expect(chooseEntry(rootUrl(), {})).toMatchObject({ mode: 'tsx', stale: true, reason: expect.stringContaining('src/removed.ts is gone') });
  });

  it('runs the sources quietly when nothing was built, and when CAREBRIDGE_DEV=1 asks for them', () => {
    rmSync(join(root, 'dist', 'build-info.json'), { force: true });
    expect(chooseEntry(rootUrl(), {})).toMatchObject({ mode: 'tsx', stale: false });
    const unbuilt = runBin();
    expect([unbuilt.stdout, unbuilt.stderr, unbuilt.status]).toEqual(['sources x y\n', '', 4]);

    const built = Date.now();
    writeBuild(built, ['src/cli.ts']);
    touch('src/cli.ts', built - 60_000);
    expect(chooseEntry(rootUrl(), { CAREBRIDGE_DEV: '1' })).toMatchObject({ mode: 'tsx', stale: false, reason: 'CAREBRIDGE_DEV=1' });
    const dev = runBin({ CAREBRIDGE_DEV: '1' });
    expect([dev.stdout, dev.stderr, dev.status]).toEqual(['sources x y\n', '', 4]);
  });
});
