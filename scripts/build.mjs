#!/usr/bin/env node
/**
 * `npm run build` (also run by `npm ci` and `npm install`, as the `prepare` script):
 * compiles CareBridge's TypeScript (`src/` and the migrations it imports) into `dist/`,
 * which `bin/carebridge.js` runs in production instead of the sources through tsx.
 *
 * esbuild bundles the sources (npm packages stay external, loaded from node_modules as
 * usual) into ES modules. Bundling, not file-by-file compiling, because the sources
 * import each other without file extensions, which Node's ES module loader does not
 * resolve; esbuild resolves them at build time. It is a dependency (not a dev one), so
 * `npm ci --omit=dev` can build too, and it takes well under a second.
 *
 * Entry points: the command line, the chart's worker thread (loaded by file name from the
 * chart pool, so it must sit next to it) and the chart pool (so a test can drive the
 * compiled worker). Dynamic imports become chunks of their own, so `carebridge --help` or
 * a settings error loads little. `dist/build-info.json` lists every source file that went
 * in; `bin/carebridge.js` runs `dist/` only while none of them is newer than the build.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relative, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

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
      packages: 'external',
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
    const inputs = Object.keys(result.metafile.inputs).sort();
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
