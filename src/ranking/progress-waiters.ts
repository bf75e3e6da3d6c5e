/** Callers waiting for a position to be reached (positions are fixed-width strings: they compare as such). */
export class ProgressWaiters {
  private highest = '';
  private waiters: { position: string; resolve: (reached: boolean) => void }[] = [];

  reached(position: string): void {
    if (position <= this.highest) return;
    this.highest = position;
    this.waiters = this.waiters.filter((waiter) => (waiter.position <= position ? (waiter.resolve(true), false) : true));
  }

  has(position: string): boolean {
    return position <= this.highest;
  }

  /** True once `position` is reached, false after `timeoutMs`. */
  until(position: string, timeoutMs: number): Promise<boolean> {
    if (position <= this.highest) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { position, resolve: (reached: boolean) => (clearTimeout(timer), resolve(reached)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}
