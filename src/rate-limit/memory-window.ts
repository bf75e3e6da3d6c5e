/** What a limiter answers: allowed, or refused with the milliseconds until a slot frees up. */
export interface Decision {
  allowed: boolean;
  retryAfterMs: number;
}

const MAX_KEYS = 100_000;

/**
 * Per-instance sliding window (the fallback while Redis is unavailable): a key may be counted at most
 * `limit` times in any `windowMs`; refused attempts are not counted.
 */
export class MemoryWindow {
  private readonly hits = new Map<string, number[]>();

  consume(key: string, limit: number, windowMs: number, now = Date.now()): Decision {
    const since = now - windowMs;
    const times = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (times.length >= limit) {
      this.hits.set(key, times);
      return { allowed: false, retryAfterMs: times[0] + windowMs - now };
    }
    times.push(now);
    this.hits.delete(key); // re-insert so the Map's order is least recently used first
    this.hits.set(key, times);
    if (this.hits.size > MAX_KEYS) this.evict(since);
    return { allowed: true, retryAfterMs: 0 };
  }

  get size(): number {
    return this.hits.size;
  }

  /** Bounded memory: drop idle keys; if still too many, forget the least recently used tenth. */
  private evict(since: number): void {
    for (const [key, times] of this.hits) if (times[times.length - 1] <= since) this.hits.delete(key);
    for (const key of this.hits.keys()) {
      if (this.hits.size <= MAX_KEYS * 0.9) return;
      this.hits.delete(key);
    }
  }
}
