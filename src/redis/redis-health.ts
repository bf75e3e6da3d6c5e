import { Logger } from '@nestjs/common';
import { ThrottledWarning } from '../logging/throttled-warning';

/** After a failed or slow call, Redis is skipped this long: a hung Redis costs one slow call per second, not one per request. */
const BACKOFF_MS = 1000;

/**
 * Whether Redis can be used right now: connected, answering the probe, and no call failed in the last second.
 * Callers fall back (PostgreSQL, in-process) instead of waiting on a dead or hung Redis.
 */
export class RedisHealth {
  private readonly logger = new Logger('Redis');
  private readonly warning = new ThrottledWarning(this.logger);
  private readonly listeners: (() => void)[] = [];
  private connected = false;
  private responsive = true;
  private failedAt = -Infinity;
  private recoveredAt = -Infinity;
  private backoffTimer?: NodeJS.Timeout;

  get available(): boolean {
    return this.connected && this.responsive && performance.now() - this.failedAt > BACKOFF_MS;
  }

  /** Called whenever Redis becomes usable again: (re)connected, or answering again after hanging. */
  onAvailable(listener: () => void): void {
    this.listeners.push(listener);
  }

  connectionChanged(connected: boolean): void {
    if (connected === this.connected) return;
    this.connected = connected;
    if (connected) this.recovered('Redis connected');
  }

  probed(answered: boolean, deadlineMs: number): void {
    if (answered === this.responsive) return;
    this.responsive = answered;
    if (answered) this.recovered('Redis answering again');
    else this.logger.warn(`Redis not answering within ${deadlineMs} ms: using fallbacks`);
  }

  /** A call issued at `issuedAt` failed; one issued before Redis last recovered (e.g. stuck in a hang) says nothing new. */
  failed(error: Error, issuedAt = performance.now()): void {
    if (issuedAt < this.recoveredAt) return;
    this.failedAt = performance.now();
    this.warning.warn(`Redis call failed, using fallbacks: ${error.message}`);
    // Usable again once the backoff is over: what was skipped meanwhile (a board, a feed page) is caught up then
    clearTimeout(this.backoffTimer);
    this.backoffTimer = setTimeout(() => {
      if (this.connected && this.responsive) this.recovered('Redis usable again');
    }, BACKOFF_MS + 1).unref();
  }

  stop(): void {
    clearTimeout(this.backoffTimer);
  }

  private recovered(message: string): void {
    this.failedAt = -Infinity;
    this.recoveredAt = performance.now();
    this.warning.reset();
    this.logger.log(message);
    this.listeners.forEach((listener) => listener());
  }
}
