/** Types of scripts/build.mjs, for the TypeScript that calls it (the benchmark, the tests). */
export interface BuildResult {
  /** Source files that went in, relative to the project folder. */
  inputs: string[];
  /** Files written, relative to the output folder. */
  outputs: string[];
  ms: number;
}

/** Compiles the sources under `root` into `root/<outdir>` (default: this project, `dist`). */
export function buildCareBridge(options?: { root?: string; outdir?: string }): Promise<BuildResult>;

/** npm packages compiled into dist/ instead of loaded from node_modules. */
export const BUNDLED_PACKAGES: readonly string[];
