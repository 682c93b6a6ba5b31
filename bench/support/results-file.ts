import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const BEGIN = '<!-- bench:begin (written by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:end -->';

const INTRO = `# CareBridge benchmark results

The latest full run of \`npm run bench\` (see the README's Benchmarks section). Each line:
figure, measured value, floor measured in the same run, ratio, goal, PASS or MISS, and notes.
The run writes the block between the markers; the analysis below it is kept.
`;

/** "commit abc1234" and whether the code measured differed from it (engineers share one working tree). */
function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'migrations', 'bin', 'package.json') !== '';
    return `commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/ or migrations/' : ''}`;
  } catch {
    return 'commit unknown';
  }
}

/**
 * Puts the run's lines, dated, between the markers of bench/RESULTS.md; what people wrote
 * around them (why a goal is missed, what would fix it) stays.
 */
export async function writeResults(lines: string[]): Promise<void> {
  const stamp = new Date().toISOString().replace('T', ' ').slice(0, 16);
  const block = `${BEGIN}\nRun ${stamp} UTC at ${revision()}.\n\n\`\`\`text\n${lines.join('\n')}\n\`\`\`\n${END}`;
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : `${INTRO}\n${BEGIN}\n${END}\n`;
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const next = start >= 0 && end > start ? `${current.slice(0, start)}${block}${current.slice(end + END.length)}` : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(RESULTS, next);
}
