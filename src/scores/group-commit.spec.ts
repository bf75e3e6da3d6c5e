import { GroupCommit } from './group-commit';

/** Commits the test finishes by hand: records each batch, and `started(i)` resolves once batch i has begun. */
function heldCommits() {
  const batches: number[][] = [];
  const releases: ((fail?: Error) => void)[] = [];
  const waiters: (() => void)[] = [];
  const commit = (batch: number[]) => {
    batches.push(batch);
    waiters.splice(0).forEach((wake) => wake());
    return new Promise<string[]>((resolve, reject) =>
      releases.push((fail) => (fail ? reject(fail) : resolve(batch.map((item) => `done ${item}`)))),
    );
  };
  const started = async (i: number): Promise<void> => {
    while (batches.length <= i) await new Promise<void>((wake) => waiters.push(wake));
  };
  return { batches, commit, started, release: (i: number, fail?: Error) => releases[i](fail) };
}

describe('GroupCommit', () => {
  it('commits what arrives during a commit together in the next one, answering each item after its own commit', async () => {
    const held = heldCommits();
    const sizes: number[] = [];
    const sut = new GroupCommit(held.commit, { max: 10, concurrency: 1 }, (size) => sizes.push(size));
    const answers = [1, 2, 3, 4].map((item) => sut.submit(item));
    expect(held.batches).toEqual([[1]]);
    expect(sut.waiting).toBe(3);
    held.release(0);
    await expect(answers[0]).resolves.toBe('done 1');
    await held.started(1);
    expect(held.batches).toEqual([[1], [2, 3, 4]]);
    held.release(1);
    await expect(Promise.all(answers)).resolves.toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
    expect(sizes).toEqual([1, 3]);
    expect(sut.waiting).toBe(0);
  });

  it('takes at most `max` items per commit and runs at most `concurrency` commits at once', async () => {
    const held = heldCommits();
    const sut = new GroupCommit(held.commit, { max: 2, concurrency: 2 });
    const answers = [1, 2, 3, 4, 5, 6, 7].map((item) => sut.submit(item));
    expect(held.batches).toEqual([[1], [2]]);
    held.release(1);
    await held.started(2);
    expect(held.batches).toEqual([[1], [2], [3, 4]]);
    held.release(0);
    await held.started(3);
    expect(held.batches).toEqual([[1], [2], [3, 4], [5, 6]]);
    held.release(2);
    await held.started(4);
    expect(held.batches).toEqual([[1], [2], [3, 4], [5, 6], [7]]);
    held.release(3);
    held.release(4);
    await expect(Promise.all(answers)).resolves.toEqual([1, 2, 3, 4, 5, 6, 7].map((item) => `done ${item}`));
  });

  it('rejects every item of a failed commit with its error, and goes on with the next batch', async () => {
    const held = heldCommits();
    const sizes: number[] = [];
    const sut = new GroupCommit(held.commit, { max: 10, concurrency: 1 }, (size) => sizes.push(size));
    const first = sut.submit(1);
    const rest = [2, 3].map((item) => sut.submit(item));
    held.release(0);
    await first;
    await held.started(1);
    const down = new Error('database down');
    held.release(1, down);
    await expect(Promise.allSettled(rest)).resolves.toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
    const next = sut.submit(4);
    await held.started(2);
    held.release(2);
    await expect(next).resolves.toBe('done 4');
    expect(sizes).toEqual([1, 1]);
  });
});
