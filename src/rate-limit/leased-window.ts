import { Decision } from './memory-window';

/** What the shared store answers a lease request: tokens granted (0 = refused) and the two windows' counts. */
export interface Lease {
  granted: number;
  current: number;
  previous: number;
}

/** Up to `want` tokens of `key` in window number `window`, as long as the sliding estimate stays within `limit`. */
export interface LeaseRequest {
  key: string;
  window: number;
  windowMs: number;
  want: number;
  limit: number;
  /** How much of the previous window still overlaps the last `windowMs` (1 at this window's start, 0 at its end). */
  previousWeight: number;
}

/** Asks the shared store for tokens (RateLimiter: a Redis script, counted by all instances). */
export type LeaseFn = (request: LeaseRequest) => Promise<Lease>;

/** The most tokens one lease takes: what an instance may leave unused per key at the end of a window. */
export const MAX_LEASE = 64;
const MAX_KEYS = 100_000;

interface KeyState {
  window: number;
  tokens: number;
  nextLease: number;
  blockedUntil: number;
  pending?: Promise<void>;
}

/**
 * About `limit` attempts per key per window, shared by all instances, at a fraction of a shared call per attempt:
 * each instance takes tokens from the shared count in leases (1, 2, 4, … up to MAX_LEASE) and spends them
 * locally; a refusal is remembered until it expires. The shared count is a sliding estimate: this window's
 * count plus the previous window's, weighted by how much of it still overlaps the last `windowMs`.
 */
export class LeasedWindow {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly lease: LeaseFn) {}

  async consume(key: string, limit: number, windowMs: number, clock: () => number = Date.now): Promise<Decision> {
    for (;;) {
      const now = clock();
      const state = this.state(key, Math.floor(now / windowMs));
      if (state.blockedUntil > now) return { allowed: false, retryAfterMs: state.blockedUntil - now };
      if (state.tokens > 0) {
        state.tokens--;
        return { allowed: true, retryAfterMs: 0 };
      }
      // Concurrent attempts on one key share one lease request
      state.pending ??= this.refill(key, state, limit, windowMs, now).finally(() => (state.pending = undefined));
      await state.pending;
    }
  }

  get size(): number {
    return this.keys.size;
  }

  private async refill(key: string, state: KeyState, limit: number, windowMs: number, now: number): Promise<void> {
    const elapsed = (now % windowMs) / windowMs;
    const { granted, current, previous } = await this.lease({
      key,
      window: state.window,
      windowMs,
      want: state.nextLease,
      limit,
      previousWeight: 1 - elapsed,
    });
    if (granted > 0) {
      state.tokens += granted;
      state.nextLease = Math.min(MAX_LEASE, state.nextLease * 2);
    } else {
      state.blockedUntil = now + retryAfterMs(limit, current, previous, elapsed, windowMs);
    }
  }

  private state(key: string, window: number): KeyState {
    let state = this.keys.get(key);
    if (!state || (state.window !== window && !state.pending)) {
      // A new window starts with no tokens (those left over were counted in the old one) and small leases
      state = { window, tokens: 0, nextLease: 1, blockedUntil: state?.blockedUntil ?? 0 };
      this.keys.delete(key); // re-insert: the Map's order is least recently renewed first
      this.keys.set(key, state);
      if (this.keys.size > MAX_KEYS) this.evict(window);
    }
    return state;
  }

  /** Bounded memory: forget keys of past windows; if still too many, the least recently renewed tenth. */
  private evict(window: number): void {
    for (const [key, state] of this.keys) if (state.window < window && !state.pending) this.keys.delete(key);
    for (const key of this.keys.keys()) {
      if (this.keys.size <= MAX_KEYS * 0.9) return;
      this.keys.delete(key);
    }
  }
}

/** Until the estimate leaves room for one more: the previous window's weight falls linearly to 0 at its end. */
export function retryAfterMs(limit: number, current: number, previous: number, elapsed: number, windowMs: number): number {
  const untilNextWindow = Math.ceil((1 - elapsed) * windowMs);
  if (current >= limit || previous === 0) return untilNextWindow;
  const freeAt = 1 - (limit - current - 1) / previous;
  return Math.max(1, Math.min(untilNextWindow, Math.ceil((freeAt - elapsed) * windowMs)));
}
