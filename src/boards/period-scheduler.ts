import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Cron } from 'croner';
import { DataSource } from 'typeorm';
import { PeriodCloser } from './period-closer';

/** Boards created, changed or reset on other instances are picked up this often. */
const SYNC_INTERVAL_MS = 1000;
/** A period the database does not yet see as ended (its clock a little behind ours) is retried this soon. */
const RETRY_MS = 20;

/**
 * Every instance arms a croner one-shot job at each open period's end (the row's `ends_at`, computed with
 * croner in the board's time zone) and closes it then; PeriodCloser makes sure exactly one close happens.
 * At boot, periods that ended while no instance ran are closed at once (catch-up).
 */
@Injectable()
export class PeriodScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PeriodScheduler.name);
  private readonly jobs = new Map<string, { endsAt: number; job: Cron }>();
  private interval?: NodeJS.Timeout;
  private syncing: Promise<void> = Promise.resolve();
  private lastWarning = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly closer: PeriodCloser,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sync().catch((error) => this.warn(error));
    this.interval = setInterval(() => void this.sync().catch((error) => this.warn(error)), SYNC_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.interval);
    for (const { job } of this.jobs.values()) job.stop();
    this.jobs.clear();
  }

  /** Re-reads every open period's end and (re)arms the jobs; called after local changes and periodically. */
  sync(): Promise<void> {
    // One at a time, so two syncs never arm two jobs for one period
    const next = this.syncing.then(() => this.syncOnce());
    this.syncing = next.catch(() => undefined);
    return next;
  }

  private async syncOnce(): Promise<void> {
    const rows: { board: string; ends_at: Date }[] = await this.dataSource.query(
      `SELECT board, ends_at FROM board_periods WHERE closed_at IS NULL AND ends_at IS NOT NULL`,
    );
    const ends = new Map(rows.map((row) => [row.board, row.ends_at.getTime()]));
    for (const [board, { endsAt, job }] of this.jobs) {
      if (ends.get(board) === endsAt) continue;
      job.stop();
      this.jobs.delete(board);
    }
    for (const [board, endsAt] of ends) {
      if (this.jobs.has(board)) continue;
      const at = new Date(Math.max(endsAt, Date.now() + RETRY_MS));
      this.jobs.set(board, { endsAt, job: new Cron(at, { unref: true }, () => void this.close(board, endsAt)) });
    }
  }

  private async close(board: string, endsAt: number): Promise<void> {
    if (this.jobs.get(board)?.endsAt === endsAt) this.jobs.delete(board);
    await this.closer.closeDue(board).catch((error) => this.warn(error));
    await this.sync().catch((error) => this.warn(error));
  }

  /** PostgreSQL down would otherwise log every second. */
  private warn(error: unknown): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(`period scheduling failed: ${(error as Error).message}`);
  }
}
