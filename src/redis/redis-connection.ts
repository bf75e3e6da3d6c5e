import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createClient, RedisClientType } from 'redis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

const COMMAND_TIMEOUT_MS = 500;

/**
 * The one Redis client of an instance (none in the embedded dev mode). It connects in the background,
 * never queues commands while disconnected, and reconnects by itself: callers check `available`
 * and fall back (PostgreSQL, in-process) instead of waiting on a dead Redis.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnection.name);
  readonly client?: RedisClientType;
  readonly prefix: string;
  private lastError = 0;
  private subscriberClient?: RedisClientType;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.redisPrefix;
    if (!config.redisUrl) return;
    this.client = createClient({
      url: config.redisUrl,
      disableOfflineQueue: true,
      // A hung (not refused) Redis must not hold requests either: every command gives up after this
      commandOptions: { timeout: COMMAND_TIMEOUT_MS },
      socket: { connectTimeout: 1000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
    }) as RedisClientType;
    this.start(this.client, 'Redis connected');
  }

  /**
   * The instance's one subscriber-mode connection (pub/sub needs its own), shared by the leaderboard
   * channel and the Socket.IO adapter; created on first use, same options as the main client.
   */
  subscriber(): RedisClientType | undefined {
    if (!this.client) return undefined;
    if (!this.subscriberClient) {
      this.subscriberClient = this.client.duplicate() as RedisClientType;
      this.start(this.subscriberClient, 'Redis subscriber connected');
    }
    return this.subscriberClient;
  }

  /** True while commands can be sent. */
  get available(): boolean {
    return this.client?.isReady ?? false;
  }

  /** Every key and channel of the service goes through here, so deployments can share a Redis. */
  key(...parts: (string | number)[]): string {
    return this.prefix + parts.join(':');
  }

  async onApplicationShutdown(): Promise<void> {
    for (const client of [this.subscriberClient, this.client]) {
      if (client?.isOpen) await client.close().catch(() => client.destroy());
    }
  }

  private start(client: RedisClientType, readyMessage: string): void {
    client.on('error', (error: Error) => this.logThrottled(error));
    client.on('ready', () => this.logger.log(readyMessage));
    client.connect().catch((error: Error) => this.logThrottled(error));
  }

  private logThrottled(error: Error): void {
    if (Date.now() - this.lastError < 10_000) return;
    this.lastError = Date.now();
    this.logger.warn(`Redis unavailable: ${error.message}`);
  }
}
