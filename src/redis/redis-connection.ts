import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { createClient, RedisClientType } from 'redis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * A hung Redis (open socket, no answers) is caught by this probe. node-redis's own bounds stop at the socket
 * write: commands still waiting to be written when the probe gives up are rejected then (see writeAbort).
 */
const PROBE_INTERVAL_MS = 500;
const PROBE_DEADLINE_MS = 1000;

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
  private responsive = true;
  private probing = false;
  private probeTimer?: NodeJS.Timeout;
  private readonly availableListeners: (() => void)[] = [];
  /**
   * Every command carries this one signal, aborted when the probe finds Redis not answering: what is still
   * waiting to be written is then rejected. (node-redis's `timeout` option instead creates an AbortSignal
   * timer per command, and its DOMException when it fires: ~15% of a request's CPU.)
   */
  private writeAbort = writeAbortController();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.redisPrefix;
    if (!config.redisUrl) return;
    const connection = this;
    this.client = createClient({
      url: config.redisUrl,
      disableOfflineQueue: true,
      // Bounds the wait for the socket write only (the current signal: see writeAbort); replies are bounded by callers and the probe
      commandOptions: { get abortSignal() { return connection.writeAbort.signal; } },
      socket: { connectTimeout: 1000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
    }) as RedisClientType;
    this.start(this.client, 'Redis connected');
    this.client.on('ready', () => this.availableListeners.forEach((listener) => listener()));
    this.probeTimer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS).unref();
  }

  /** Called whenever Redis becomes usable again: (re)connected, or answering again after hanging. */
  onAvailable(listener: () => void): void {
    this.availableListeners.push(listener);
  }

  /**
   * The instance's one subscriber-mode connection (pub/sub needs its own), shared by the leaderboard
   * channel and the Socket.IO adapter; created on first use. With Redis down at boot, its SUBSCRIBEs wait
   * in the offline queue, and their rejections count as handled: the Socket.IO adapter never awaits them,
   * so a rejection (Redis down, or shutdown while down) would otherwise crash the process.
   */
  subscriber(): RedisClientType | undefined {
    if (!this.client) return undefined;
    if (!this.subscriberClient) {
      this.subscriberClient = markRejectionsHandled(this.client.duplicate({ disableOfflineQueue: false }) as RedisClientType);
      this.start(this.subscriberClient, 'Redis subscriber connected');
    }
    return this.subscriberClient;
  }

  /** True while commands can be sent. */
  get available(): boolean {
    return (this.client?.isReady ?? false) && this.responsive;
  }

  /** Every key and channel of the service goes through here, so deployments can share a Redis. */
  key(...parts: (string | number)[]): string {
    return this.prefix + parts.join(':');
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.probeTimer);
    for (const client of [this.subscriberClient, this.client]) {
      if (!client?.isOpen) continue;
      // close() waits for Redis to answer; a client still (re)connecting would hold up shutdown forever
      if (client.isReady && this.responsive) await client.close().catch(() => client.destroy());
      else client.destroy();
    }
  }

  /** A PING unanswered for PROBE_DEADLINE_MS marks Redis unavailable (callers fall back) until one is answered. */
  private async probe(): Promise<void> {
    if (!this.client?.isReady || this.probing) return;
    this.probing = true;
    const deadline = setTimeout(() => {
      if (this.responsive) this.logger.warn(`Redis not answering within ${PROBE_DEADLINE_MS} ms: using fallbacks`);
      this.responsive = false;
      this.writeAbort.abort(new Error(`Redis not answering within ${PROBE_DEADLINE_MS} ms`));
      this.writeAbort = writeAbortController();
    }, PROBE_DEADLINE_MS);
    try {
      await this.client.ping();
      if (!this.responsive) {
        this.responsive = true;
        this.logger.log('Redis answering again');
        this.availableListeners.forEach((listener) => listener());
      }
    } catch {
      // closed or refused: isReady says so; the next probe after reconnecting decides
    } finally {
      clearTimeout(deadline);
      this.probing = false;
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

/** Every command in the write queue listens on its signal: no max-listeners warning for that. */
function writeAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

const PUB_SUB_METHODS = ['subscribe', 'pSubscribe', 'unsubscribe', 'pUnsubscribe'] as const;

/** Callers that await still see the rejection; callers that drop the promise no longer crash the process. */
function markRejectionsHandled(client: RedisClientType): RedisClientType {
  for (const name of PUB_SUB_METHODS) {
    const original = client[name].bind(client) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(client, {
      [name]: (...args: unknown[]) => {
        const promise = original(...args);
        promise.catch(() => undefined);
        return promise;
      },
    });
  }
  return client;
}
