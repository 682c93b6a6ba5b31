/**
 * The layers of docs/architecture.md, enforced: every relative import in `src/` must
 * follow an allowed arrow. A file importing across a forbidden one (the domain reaching
 * outward, Slack reading a store, Block Kit builders reading jobs) fails this test with
 * the file, the import and the rule it breaks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

/** A file's layer: the most specific folder rule that matches its path under `src/`. */
const LAYERS: [layer: string, prefix: string][] = [
  ['blocks', 'slack/blocks/'],
  // The action, block and view ids the Block Kit builders stamp and the listeners match.
  ['blocks', 'slack/ids.ts'],
  ['slack', 'slack/'],
  ['domain', 'domain/'],
  ['services', 'services/'],
  ['store', 'store/'],
  ['jobs', 'jobs/'],
  ['intake', 'intake/'],
  ['reports', 'reports/'],
  ['commands', 'commands/'],
];

/** Files at the top of `src/` that are shared plumbing (settings, clock, logging, health) rather than a layer. */
const PLUMBING = new Set(['clock.ts', 'logger.ts', 'config.ts', 'database-health.ts', 'db-errors.ts', 'database-timeouts.ts', 'json-position.ts', 'policy-file.ts']);
/** The composition root: wires every layer together (and serves /healthz over them), so it may import anything. */
const ROOTS = new Set(['main.ts', 'cli.ts', 'health-route.ts']);

/** What each layer may import (besides itself and npm packages). */
const ALLOWED: Record<string, string[]> = {
  domain: [],
  // The weekly report's figures and formats are one presentation: Slack's blocks reuse them.
  blocks: ['domain', 'reports'],
  reports: ['domain'],
  services: ['domain', 'plumbing'],
  store: ['domain', 'services', 'plumbing', 'migrations'],
  jobs: ['domain', 'services', 'plumbing'],
  intake: ['domain', 'services', 'plumbing'],
  slack: ['domain', 'services', 'blocks', 'reports', 'plumbing'],
  plumbing: ['domain', 'plumbing'],
  commands: ['*'],
  root: ['*'],
};

function layerOf(file: string): string {
  const rel = relative(SRC, file).split('\\').join('/');
  if (rel.startsWith('../migrations/')) return 'migrations';
  if (ROOTS.has(rel)) return 'root';
  if (PLUMBING.has(rel)) return 'plumbing';
  for (const [layer, prefix] of LAYERS) if (rel.startsWith(prefix)) return layer;
  throw new Error(`src/${rel} belongs to no layer: add it to docs/architecture.md and this test`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Relative imports of a file (`import … from './x'`, `export … from`, `import('./x')`), type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return found.map((spec) => resolve(dirname(file), spec));
}

export function violations(): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    for (const target of importsOf(file)) {
      const to = layerOf(target.endsWith('.ts') ? target : `${target}.ts`);
      if (to === from) continue;
      const allowed = ALLOWED[from]!;
      if (allowed.includes('*') || allowed.includes(to)) continue;
      out.push(`src/${relative(SRC, file)} (${from}) imports ${relative(ROOT, target)} (${to})`);
    }
  }
  return out.sort();
}

describe('import boundaries', () => {
  it('every import in src/ follows an arrow of docs/architecture.md', () => {
    expect(violations()).toEqual([]);
  });

  it('catches an import across a forbidden arrow', () => {
    expect(ALLOWED.domain).toEqual([]);
    expect(ALLOWED.blocks).not.toContain('jobs');
    expect(ALLOWED.blocks).not.toContain('services');
    expect(ALLOWED.reports).toEqual(['domain']);
    expect(ALLOWED.slack).not.toContain('store');
    expect(layerOf(join(SRC, 'slack/blocks/case-card.ts'))).toBe('blocks');
    expect(layerOf(join(SRC, 'slack/listeners/index.ts'))).toBe('slack');
  });
});
