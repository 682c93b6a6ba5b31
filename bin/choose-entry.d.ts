/** Types of bin/choose-entry.js, for the TypeScript that calls it (the benchmark, the tests). */
export type Entry = { mode: 'compiled'; url: URL } | { mode: 'tsx'; url: URL; reason: string; stale: boolean };

/** dist/ when it is built and current (and CAREBRIDGE_DEV is not 1), else the sources through tsx. */
export function chooseEntry(root: URL, env: Record<string, string | undefined>): Entry;
