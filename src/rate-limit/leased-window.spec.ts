import { Lease, LeasedWindow, LeaseFn, MAX_LEASE, retryAfterMs } from './leased-window';

const WINDOW = 60_000;

/** The shared count as LEASE_LUA keeps it, in memory: grants up to the room the sliding estimate leaves. */
function sharedStore() {
  const counts = new Map<string, number>();
  const calls: number[] = [];
  const lease: LeaseFn = ({ key, window, want, limit, previousWeight }) => {
    calls.push(want);
    const current = counts.get(`${key}:${window}`) ?? 0;
    const previous = counts.get(`${key}:${window - 1}`) ?? 0;
    const room = Math.floor(limit - current - previous * previousWeight);
    const granted = Math.max(0, Math.min(want, room));
    counts.set(`${key}:${window}`, current + granted);
    return Promise.resolve({ granted, current, previous } satisfies Lease);
  };
  return { lease, calls, counts };
}

describe('LeasedWindow', () => {
  it('allows exactly `limit` in a window however the attempts are spread over instances, then refuses', async () => {
    const store = sharedStore();
    const instances = [new LeasedWindow(store.lease), new LeasedWindow(store.lease), new LeasedWindow(store.lease)];
    const clock = () => 1_000;
    const results = [];
    for (let i = 0; i < 30; i++) results.push((await instances[i % 3].consume('ip', 20, WINDOW, clock)).allowed);
    expect(results.filter(Boolean)).toHaveLength(20);
    expect(results.slice(0, 20).every(Boolean)).toBe(true);
  });

  it('asks the shared store far less often than once per attempt, in growing leases', async () => {
    const store = sharedStore();
    const sut = new LeasedWindow(store.lease);
    for (let i = 0; i < 1000; i++) expect((await sut.consume('ip', 100_000, WINDOW, () => 5)).allowed).toBe(true);
    expect(store.calls.slice(0, 8)).toEqual([1, 2, 4, 8, 16, 32, 64, 64]);
    expect(store.calls.length).toBeLessThan(25);
    expect(Math.max(...store.calls)).toBe(MAX_LEASE);
  });

  it('shares one lease request among concurrent attempts', async () => {
    const store = sharedStore();
    const sut = new LeasedWindow(store.lease);
    const decisions = await Promise.all(Array.from({ length: 10 }, () => sut.consume('ip', 5, WINDOW, () => 5)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(store.counts.get('ip:0')).toBe(5);
  });

  it('remembers a refusal until it expires, without asking again', async () => {
    const store = sharedStore();
    const sut = new LeasedWindow(store.lease);
    let now = 0;
    await sut.consume('ip', 1, WINDOW, () => now);
    const refused = await sut.consume('ip', 1, WINDOW, () => (now = 1_000));
    expect(refused).toEqual({ allowed: false, retryAfterMs: WINDOW - 1_000 });
    const calls = store.calls.length;
    expect((await sut.consume('ip', 1, WINDOW, () => (now = 30_000))).allowed).toBe(false);
    expect(store.calls.length).toBe(calls);
    // Next window: the previous one's attempt still weighs (1 − elapsed) > 0, so with a limit of 1 no room until it ends
    expect(await sut.consume('ip', 1, WINDOW, () => (now = WINDOW + 1))).toEqual({ allowed: false, retryAfterMs: WINDOW - 1 });
    expect((await sut.consume('ip', 1, WINDOW, () => (now = 2 * WINDOW))).allowed).toBe(true);
  });

  it('keeps keys apart', async () => {
    const store = sharedStore();
    const sut = new LeasedWindow(store.lease);
    expect((await sut.consume('a', 1, WINDOW, () => 0)).allowed).toBe(true);
    expect((await sut.consume('b', 1, WINDOW, () => 0)).allowed).toBe(true);
    expect((await sut.consume('a', 1, WINDOW, () => 0)).allowed).toBe(false);
  });

  it('smooths the window boundary: a full previous window still counts, fading over the next', async () => {
    const store = sharedStore();
    const sut = new LeasedWindow(store.lease);
    for (let i = 0; i < 10; i++) await sut.consume('ip', 10, WINDOW, () => WINDOW - 1);
    // Just after the boundary the previous window's 10 weigh almost fully: refused, unlike a fixed window
    expect((await sut.consume('ip', 10, WINDOW, () => WINDOW + 100)).allowed).toBe(false);
  });

  it('stays bounded in memory', async () => {
    const sut = new LeasedWindow(sharedStore().lease);
    for (let i = 0; i < 100_001; i++) await sut.consume(`k${i}`, 5, WINDOW, () => i * WINDOW);
    expect(sut.size).toBeLessThanOrEqual(100_000);
  });
});

describe('retryAfterMs', () => {
  it('is the rest of the window when this window alone is full, or nothing came before', () => {
    expect(retryAfterMs(10, 10, 0, 0.25, WINDOW)).toBe(45_000);
    expect(retryAfterMs(10, 3, 0, 0.5, WINDOW)).toBe(30_000);
  });

  it('is when the fading previous window leaves room for one more', () => {
    // 10 before, 5 now, limit 10: room once 10 × (1 − e) ≤ 4, i.e. at e = 0.6
    expect(retryAfterMs(10, 5, 10, 0.5, WINDOW)).toBe(6_000);
  });
});
