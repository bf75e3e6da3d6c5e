import { Coalescer } from './coalescer';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Coalescer', () => {
  it('runs once per burst: requests during a run cause exactly one more run', async () => {
    const gates: ReturnType<typeof deferred>[] = [];
    const sut = new Coalescer(
      () => {
        const gate = deferred();
        gates.push(gate);
        return gate.promise;
      },
      (error) => {
        throw error;
      },
    );
    sut.request();
    for (let i = 0; i < 50; i++) sut.request();
    const settled = sut.settled();
    expect(gates).toHaveLength(1);
    gates[0].resolve();
    await new Promise(setImmediate);
    expect(gates).toHaveLength(2);
    gates[1].resolve();
    await settled;
    expect(gates).toHaveLength(2);
  });

  it('settles immediately when idle and survives a failing run', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const sut = new Coalescer(
      () => {
        calls++;
        return Promise.reject(new Error('db down'));
      },
      (error) => errors.push(error),
    );
    await sut.settled();
    sut.request();
    await sut.settled();
    sut.request();
    await sut.settled();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
  });

  it('spaces back-to-back runs by the minimum interval', async () => {
    const starts: number[] = [];
    const sut = new Coalescer(
      () => Promise.resolve(void starts.push(performance.now())),
      (error) => {
        throw error;
      },
      40,
    );
    sut.request();
    sut.request();
    await sut.settled();
    expect(starts).toHaveLength(2);
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(35); // timers may fire a millisecond early
  });

  it('stops waiting for a slow run after the timeout', async () => {
    const sut = new Coalescer(
      () => new Promise(() => undefined),
      (error) => {
        throw error;
      },
    );
    sut.request();
    const start = performance.now();
    await sut.settled(50);
    expect(performance.now() - start).toBeGreaterThanOrEqual(45);
  });
});
