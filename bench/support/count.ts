/** 100000 → "100,000": sizes read at a glance in figure names. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
