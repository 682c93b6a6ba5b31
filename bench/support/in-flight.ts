/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight, as a fixed number of
 * callers (Slack, an EHR's webhook sender) would; stops taking new items after
 * `deadlineMs`. Returns how many items were started.
 */
export async function inFlight<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>, deadlineMs?: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const caller = async () => {
    while (next < items.length && (deadlineMs === undefined || performance.now() - started < deadlineMs)) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, caller));
  return next;
}
