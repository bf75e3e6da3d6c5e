import { MemoryWindow } from './memory-window';

describe('MemoryWindow', () => {
  const sut = new MemoryWindow();

  it('allows `limit` attempts in any window and tells when the next slot frees up', () => {
    expect([0, 10, 20].map((t) => sut.consume('a', 3, 1000, t).allowed)).toEqual([true, true, true]);
    expect(sut.consume('a', 3, 1000, 500)).toEqual({ allowed: false, retryAfterMs: 500 });
    // Sliding, not fixed: at 1000 only the attempt made at 0 has left the window
    expect(sut.consume('a', 3, 1000, 1000).allowed).toBe(true);
    expect(sut.consume('a', 3, 1000, 1005)).toEqual({ allowed: false, retryAfterMs: 5 });
  });

  it('does not count refused attempts', () => {
    const window = new MemoryWindow();
    window.consume('b', 1, 1000, 0);
    for (let t = 1; t < 1000; t += 100) expect(window.consume('b', 1, 1000, t).allowed).toBe(false);
    expect(window.consume('b', 1, 1000, 1000).allowed).toBe(true);
  });

  it('keeps keys apart', () => {
    const window = new MemoryWindow();
    expect(window.consume('c', 1, 1000, 0).allowed).toBe(true);
    expect(window.consume('d', 1, 1000, 0).allowed).toBe(true);
    expect(window.consume('c', 1, 1000, 1).allowed).toBe(false);
  });

  it('stays bounded in memory', () => {
    const window = new MemoryWindow();
    for (let i = 0; i < 100_001; i++) window.consume(`k${i}`, 1, 1000, i);
    expect(window.size).toBeLessThanOrEqual(100_000);
  });
});
