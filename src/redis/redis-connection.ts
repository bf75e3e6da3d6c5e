import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createClient, RedisClientType } from 'redis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

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

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.redisPrefix;
    if (!config.redisUrl) return;
    this.client = createClient({
      url: config.redisUrl,
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
    });
    this.client.on('error', (error: Error) => this.logThrottled(error));
    this.client.on('ready', () => this.logger.log('Redis connected'));
    this.client.connect().catch((error: Error) => this.logThrottled(error));
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
    if (this.client?.isOpen) await this.client.close();
  }

  private logThrottled(error: Error): void {
    if (Date.now() - this.lastError < 10_000) return;
    this.lastError = Date.now();
    this.logger.warn(`Redis unavailable: ${error.message}`);
  }
}
