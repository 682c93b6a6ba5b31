#!/usr/bin/env node
/**
 * `npm run build` (also run by `npm ci` and `npm install`, as the `prepare` script):
 * compiles CareBridge's TypeScript (`src/` and the migrations it imports) into `dist/`,
 * which `bin/carebridge.js` runs in production instead of the sources through tsx.
 *
 * esbuild bundles the sources into ES modules; npm packages are loaded from node_modules
 * as usual, but for the few compiled in (BUNDLED_PACKAGES). Bundling, not file-by-file
 * compiling, because the sources import each other without file extensions, which Node's
 * ES module loader does not resolve; esbuild resolves them at build time. It is a
 * dependency (not a dev one), so `npm ci --omit=dev` can build too; a build takes a second
 * or two.
 *
 * Entry points: the command line, the chart's worker thread (loaded by file name from the
 * chart pool, so it must sit next to it) and the chart pool (so a test can drive the
 * compiled worker). Dynamic imports become chunks of their own, so `carebridge --help` or
 * a settings error loads little. `dist/build-info.json` lists every source file that went
 * in; `bin/carebridge.js` runs `dist/` only while none of them is newer than the build.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relative, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * npm packages compiled into dist/ rather than loaded from node_modules: ES modules of many
 * small files with no dependencies or native parts, whose loading file by file was most of
 * their start-up cost (date-fns alone is some 250 modules); bundled, only what CareBridge
 * uses is in. Every other package stays external: CommonJS, native code (better-sqlite3),
 * or files found by path at run time (piscina's and pino's worker threads).
 */
export const BUNDLED_PACKAGES = ['date-fns', '@date-fns/tz', 'zod'];

/** Every dependency but the bundled ones, with their subpaths. */
function externalPackages(root) {
  const { dependencies = {} } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
  return Object.keys(dependencies)
    .filter((name) => !BUNDLED_PACKAGES.includes(name))
    .flatMap((name) => [name, `${name}/*`]);
}

/**
 * Compiles the sources under `root` into `root/<outdir>` (replacing it whole, so a failed
 * build leaves the previous one or none, never half of one). Returns the inputs and outputs.
 */
export async function buildCareBridge({ root = ROOT, outdir = 'dist' } = {}) {
  const startedAt = Date.now();
  const target = resolve(root, outdir);
  const staging = `${target}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: {
        cli: 'src/cli.ts',
        'chart-worker': 'src/reports/chart-task.ts',
        'chart-pool': 'src/reports/chart-pool.ts',
      },
      outdir: staging,
      bundle: true,
      external: externalPackages(root),
      platform: 'node',
      format: 'esm',
      target: 'node20',
      splitting: true,
      // Every file, chunks included, in one folder: the chart pool finds its worker next to itself.
      entryNames: '[name]',
      chunkNames: '[name]-[hash]',
      outExtension: { '.js': '.mjs' },
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'warning',
    });
    // CareBridge's own files: a change of packages goes through npm, which builds again.
    const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('node_modules/')).sort();
    writeFileSync(
      resolve(staging, 'build-info.json'),
      `${JSON.stringify({ builtAt: new Date(startedAt).toISOString(), startedAtMs: startedAt, inputs }, null, 2)}\n`,
    );
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    const outputs = Object.keys(result.metafile.outputs).map((file) => relative(staging, resolve(root, file)));
    return { inputs, outputs, ms: Date.now() - startedAt };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { inputs, outputs, ms } = await buildCareBridge();
    const modules = outputs.filter((file) => file.endsWith('.mjs')).length;
    process.stdout.write(`carebridge: compiled ${inputs.length} source files into dist/ (${modules} modules) in ${ms} ms\n`);
  } catch (error) {
    process.stderr.write(`carebridge: the build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
