/**
 * Single-flight, coalesced runs: while one run is in flight, any number of requests cause at most one
 * more run, which starts after all of them (so it sees everything they committed). Back-to-back runs
 * start at least `minIntervalMs` apart, which bounds the rate under load; an isolated request runs at once.
 */
export class Coalescer {
  private requested = 0;
  private covered = 0;
  private running = false;
  private waiters: { target: number; resolve: () => void }[] = [];

  constructor(
    private readonly run: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly minIntervalMs = 0,
  ) {}

  /** A run is pending or in flight: whatever is committed now will be seen by a run that starts later. */
  get busy(): boolean {
    return this.requested > this.covered;
  }

  request(): void {
    this.requested++;
    if (!this.running) void this.loop();
  }

  /** Resolves once a run that started after every request made so far has finished (at most two runs), or after `timeoutMs`. */
  settled(timeoutMs = Infinity): Promise<void> {
    if (this.covered >= this.requested) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(resolve, timeoutMs) : undefined;
      this.waiters.push({ target: this.requested, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private async loop(): Promise<void> {
    this.running = true;
    let lastStart = -Infinity;
    while (this.covered < this.requested) {
      const wait = lastStart + this.minIntervalMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
      lastStart = performance.now();
      const target = this.requested;
      try {
        await this.run();
      } catch (error) {
        this.onError(error);
      }
      this.covered = target;
      this.waiters = this.waiters.filter((waiter) => (waiter.target <= target ? (waiter.resolve(), false) : true));
    }
    this.running = false;
  }
}
