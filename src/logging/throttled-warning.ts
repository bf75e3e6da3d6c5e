import { Logger } from '@nestjs/common';

/** A fault that repeats (a dependency down) is logged at most once per interval, not once per attempt. */
export class ThrottledWarning {
  private last = -Infinity;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 10_000,
  ) {}

  warn(message: string): void {
    if (Date.now() - this.last < this.intervalMs) return;
    this.last = Date.now();
    this.logger.warn(message);
  }

  /** The next warning is logged at once (the fault cleared, so a new one is news). */
  reset(): void {
    this.last = -Infinity;
  }
}
