import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ThrottledWarning } from '../logging/throttled-warning';
import { ChangeFeedReader } from './change-feed.reader';
import { Coalescer } from './coalescer';
import { decodePosition, encodePosition } from './feed-position';

const RECONNECT_MS = 1000;
const PRUNE_EVERY_MS = 10_000;
/**
 * Back-to-back reads start at least this far apart: under load pages get bigger and fewer (each costs a query, a
 * Redis script and the handlers whatever its size); an isolated commit is still read at once.
 */
const READ_GAP_MS = 10;
const PRUNE_SQL = `
WITH h AS (UPDATE user_changes_horizon SET below = greatest(below, $1::xid8) RETURNING below)
DELETE FROM user_changes WHERE xid < (SELECT below FROM h)`;

/**
 * This instance's tail of the change feed: woken by NOTIFY (a dedicated LISTEN connection), by its own
 * commits (poke), and by a slow poll as a safety net; publishes each page as a ScoreChangedEvent.
 * It also prunes rows every instance has long read (older than the retention).
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeFeed.name);
  private readonly warning = new ThrottledWarning(this.logger);
  private readonly drainer = new Coalescer(
    () => this.drain(),
    (error) => this.warning.warn(`change feed read failed: ${(error as Error).message}`),
    READ_GAP_MS,
  );
  private position?: string;
  private listener?: Client;
  private timers: NodeJS.Timeout[] = [];
  private samples: { at: number; position: string }[] = [];
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reader: ChangeFeedReader,
    private readonly eventBus: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Derived state is (re)built at boot by its owners; this tail starts at the present
    this.position = encodePosition(await this.reader.head());
    const { listen, pollMs } = this.config.changeFeed;
    if (listen) void this.listen();
    this.timers.push(setInterval(() => this.poke(), pollMs).unref(), setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearTimeout);
    await this.listener?.end().catch(() => undefined);
  }

  /** Something was committed (here or elsewhere): read the feed soon. */
  poke(): void {
    if (this.position) this.drainer.request();
  }

  /** Resolves once a read that started after this call has finished (or after `timeoutMs`). */
  caughtUp(timeoutMs: number): Promise<void> {
    return this.drainer.settled(timeoutMs);
  }

  private async drain(): Promise<void> {
    for (;;) {
      const page = await this.reader.read(this.position!);
      if (page.gone) {
        this.logger.warn('change feed position was pruned: everything derived is rebuilt');
        const head = encodePosition(await this.reader.head());
        this.eventBus.publish(Object.assign(page, { to: head, reset: true }));
        this.position = head;
        return;
      }
      if (page.to !== page.from) this.eventBus.publish(page);
      this.position = page.to;
      if (!page.full) return;
    }
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.config.databaseUrl, keepAlive: true });
    const retry = () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      void client.end().catch(() => undefined);
      if (!this.stopped) this.timers.push(setTimeout(() => void this.listen(), RECONNECT_MS).unref());
    };
    this.listener = client;
    client.on('notification', () => this.poke());
    client.on('error', (error) => {
      this.warning.warn(`change feed listener: ${error.message}`);
      retry();
    });
    client.on('end', retry);
    try {
      await client.connect();
      await client.query('LISTEN user_changes');
      this.poke(); // whatever was committed while not listening
    } catch (error) {
      this.warning.warn(`change feed listener: ${(error as Error).message}`);
      retry();
    }
  }

  /** Drops rows below where this instance stood a retention ago (any consumer further behind rebuilds). */
  private async prune(): Promise<void> {
    if (!this.position) return;
    const now = Date.now();
    this.samples.push({ at: now, position: this.position });
    const old = this.samples.filter((s) => now - s.at >= this.config.changeFeed.retentionMs);
    if (!old.length) return;
    this.samples = this.samples.filter((s) => now - s.at < this.config.changeFeed.retentionMs);
    await this.dataSource
      .query(PRUNE_SQL, [decodePosition(old.at(-1)!.position).xid.toString()])
      .catch((error: Error) => this.warning.warn(`change feed prune failed: ${error.message}`));
  }
}
