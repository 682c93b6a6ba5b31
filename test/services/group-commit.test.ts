/**
 * Group commit on its own, with a commit we control: the first item goes at once, items
 * arriving meanwhile go together next, each caller hears its own result, a refused item
 * fails alone, and an unavailable database fails the whole group without retries.
 */
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/services/group-commit';

/** A commit that records its groups and waits for `release()` before answering each. */
function heldCommit(answer: (items: string[]) => string[] = (items) => items.map((i) => `done ${i}`)) {
  const groups: string[][] = [];
  const gates: (() => void)[] = [];
  const commit = async (items: string[]) => {
    groups.push([...items]);
    await new Promise<void>((resolve) => gates.push(resolve));
    return answer(items);
  };
  const release = async () => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()!();
  };
  return { groups, commit, release };
}

const settle = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: Error) => ({ error: error.message }));

describe('GroupCommit', () => {
  it('commits the items of one moment together, and those that arrive meanwhile together next, each caller getting its own result', async () => {
    const held = heldCommit();
    const group = new GroupCommit(held.commit);
    const first = ['a', 'b'].map((i) => group.submit(i));
    await held.release(); // waits until the first commit started
    const rest = ['c', 'd', 'e'].map((i) => group.submit(i));
    expect(await Promise.all(first)).toEqual(['done a', 'done b']);
    await held.release();
    expect(await Promise.all(rest)).toEqual(['done c', 'done d', 'done e']);
    expect(held.groups).toEqual([['a', 'b'], ['c', 'd', 'e']]);
  });

  it('keeps a group to its largest size; the rest wait for the next commit', async () => {
    const held = heldCommit();
    const group = new GroupCommit(held.commit, 2);
    const all = ['a', 'b', 'c', 'd', 'e'].map((i) => group.submit(i));
    for (let i = 0; i < 3; i++) await held.release();
    expect(await Promise.all(all)).toEqual(['done a', 'done b', 'done c', 'done d', 'done e']);
    expect(held.groups).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('fails only the item the database refuses: the group is committed again item by item', async () => {
    const refused = Object.assign(new Error('CHECK constraint failed'), { code: 'SQLITE_CONSTRAINT_CHECK' });
    const calls: string[][] = [];
    const group = new GroupCommit(async (items: string[]) => {
      calls.push([...items]);
      await new Promise((r) => setImmediate(r));
      if (items.includes('bad')) throw refused;
      return items.map((i) => `done ${i}`);
    });
    const outcomes = ['a', 'bad', 'b'].map((i) => settle(group.submit(i)));
    expect(await Promise.all(outcomes)).toEqual([{ value: 'done a' }, { error: 'CHECK constraint failed' }, { value: 'done b' }]);
    expect(calls).toEqual([['a', 'bad', 'b'], ['a'], ['bad'], ['b']]);
  });

  it('tells every caller of the group when the database is unavailable, without trying each again', async () => {
    const unavailable = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    const calls: string[][] = [];
    const group = new GroupCommit(async (items: string[]) => {
      calls.push([...items]);
      await new Promise((r) => setImmediate(r));
      throw unavailable;
    });
    const outcomes = ['a', 'b', 'c'].map((i) => settle(group.submit(i)));
    expect(await Promise.all(outcomes)).toEqual([{ error: 'disk I/O error' }, { error: 'disk I/O error' }, { error: 'disk I/O error' }]);
    expect(calls).toEqual([['a', 'b', 'c']]);
  });

  it('starts again after a quiet moment: a lone item is not kept waiting for company', async () => {
    const group = new GroupCommit(async (items: string[]) => items.map((i) => `done ${i}`));
    expect(await group.submit('a')).toBe('done a');
    expect(await group.submit('b')).toBe('done b');
  });
});
