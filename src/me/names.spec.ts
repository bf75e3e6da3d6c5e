import { DataSource } from 'typeorm';
import { ScoreChangedEvent, UserState } from '../scores/events/score-changed.event';
import { Names, NAMES_KEPT } from './names';

/** The names table as a query answers it, one answer per call, each released by the test. */
class Table {
  readonly rows = new Map<number, string>();
  readonly asked: number[][] = [];
  private readonly pending: (() => void)[] = [];

  query = (_sql: string, [ids]: [number[]]) => {
    this.asked.push(ids);
    const answer = ids.filter((id) => this.rows.has(id)).map((id) => ({ id: String(id), name: this.rows.get(id)! }));
    return new Promise((resolve) => this.pending.push(() => resolve(answer)));
  };

  release(): void {
    this.pending.splice(0).forEach((answer) => answer());
  }
}

const user = (userId: number, name: string): UserState => ({ userId, name, score: 1, reachedAt: 0 });
const page = (users: UserState[], removed: number[] = [], reset = false) => new ScoreChangedEvent('a', 'b', users, removed, reset);

describe('Names', () => {
  let table: Table;
  let names: Names;
  const of = async (ids: number[]) => {
    const answer = names.of(ids);
    table.release();
    return Object.fromEntries(await answer);
  };

  beforeEach(() => {
    table = new Table();
    names = new Names(table as unknown as DataSource);
    table.rows.set(1, 'Ann').set(2, 'Bo').set(3, 'Cy');
  });

  it('reads a name once, then keeps it current from the feed (a rename) and forgets whom the feed removes', async () => {
    expect(await of([1, 2])).toEqual({ 1: 'Ann', 2: 'Bo' });
    expect(await of([2, 3])).toEqual({ 2: 'Bo', 3: 'Cy' });
    expect(table.asked).toEqual([[1, 2], [3]]);

    table.rows.set(1, 'Ann 2');
    names.heard(page([user(1, 'Ann 2'), user(9, 'Not asked for')]));
    expect(await of([1, 2, 3])).toEqual({ 1: 'Ann 2', 2: 'Bo', 3: 'Cy' });
    expect(table.asked).toHaveLength(2); // all three kept, the rename included

    table.rows.set(2, 'Erased');
    names.heard(page([], [2]));
    expect(await of([2, 9])).toEqual({ 2: 'Erased' }); // read again (9 was never asked for, and is not kept either)
    expect(table.asked.at(-1)).toEqual([2, 9]);
  });

  it('does not keep what a query read while the feed spoke of the same user or reset (its read may be older); control: the others', async () => {
    const reading = names.of([1, 2]);
    table.rows.set(1, 'Ann 2'); // committed after the query read: it answers Ann
    names.heard(page([user(1, 'Ann 2')]));
    table.release();
    expect(Object.fromEntries(await reading)).toEqual({ 1: 'Ann', 2: 'Bo' });
    expect(await of([1, 2])).toEqual({ 1: 'Ann 2', 2: 'Bo' });
    expect(table.asked.at(-1)).toEqual([1]); // 1 read again; 2 (not in the page) was kept

    const resetting = names.of([3]);
    names.heard(page([], [], true));
    table.release();
    await resetting;
    const asked = table.asked.length;
    expect(await of([3])).toEqual({ 3: 'Cy' });
    expect(table.asked).toHaveLength(asked + 1); // not kept from the read that straddled the reset
    expect(await of([3])).toEqual({ 3: 'Cy' });
    expect(table.asked).toHaveLength(asked + 1); // control: kept from a read without one
  });

  it(`keeps at most ${NAMES_KEPT} names, the least recently used going first`, async () => {
    const many = Array.from({ length: NAMES_KEPT + 1 }, (_, i) => i + 10);
    many.forEach((id) => table.rows.set(id, `P${id}`));
    await of(many.slice(0, NAMES_KEPT));
    await of([10]); // used again: now the most recent
    await of([many.at(-1)!]); // one more: the least recently used (11) goes
    const asked = table.asked.length;
    await of([10, 12]);
    expect(table.asked).toHaveLength(asked);
    await of([11]);
    expect(table.asked.at(-1)).toEqual([11]);
  });
});
