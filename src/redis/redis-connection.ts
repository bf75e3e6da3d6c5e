import { createHash } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createClient, RedisClientType } from 'redis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RedisHealth } from './redis-health';
import { withDeadline } from './with-deadline';

/** A call on a request path: past this, the caller falls back instead of waiting. */
export const REQUEST_DEADLINE_MS = 300;
/** Background work (following the feed, rebuilding) may take longer, but not forever. */
export const BACKGROUND_DEADLINE_MS = 5000;
/** A hung Redis (open socket, no answers) is caught by this probe; callers are bounded by the call deadline. */
const PROBE_INTERVAL_MS = 500;
const PROBE_DEADLINE_MS = 1000;
const SHA1 = new Map<string, string>();

export type RedisClient = RedisClientType;

/**
 * The one way to Redis (none in the embedded dev mode): the instance's client, its health, key names, and
 * calls bounded by a deadline. It connects in the background, never queues commands while disconnected,
 * and reconnects by itself. Each feature owns its own keys and scripts.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly health = new RedisHealth();
  readonly client?: RedisClient;
  private readonly prefix: string;
  private subscriberClient?: RedisClient;
  private probeTimer?: NodeJS.Timeout;
  private probing = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.redisPrefix;
    if (!config.redisUrl) return;
    this.client = createClient({
      url: config.redisUrl,
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
    }) as RedisClient;
    this.client.on('ready', () => this.health.connectionChanged(true));
    this.client.on('end', () => this.health.connectionChanged(false));
    this.client.on('error', (error: Error) => {
      this.health.connectionChanged(this.client!.isReady);
      this.health.failed(error);
    });
    this.client.connect().catch(() => undefined); // 'error' reports it; reconnection is automatic
    this.probeTimer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS).unref();
  }

  get available(): boolean {
    return this.health.available;
  }

  /** Every key and channel of the service goes through here, so deployments can share a Redis. */
  key(...parts: (string | number)[]): string {
    return this.prefix + parts.join(':');
  }

  /** Runs a command with a deadline; a failure marks Redis unusable for a moment and is rethrown. */
  async call<T>(command: (client: RedisClient) => Promise<T>, deadlineMs = REQUEST_DEADLINE_MS): Promise<T> {
    if (!this.client || !this.available) throw new Error('Redis unavailable');
    const issuedAt = performance.now();
    try {
      return await withDeadline(command(this.client), deadlineMs);
    } catch (error) {
      this.health.failed(error as Error, issuedAt);
      throw error;
    }
  }

  /** A Lua script by its SHA1, sending the source only when Redis does not have it cached (NOSCRIPT). */
  script(source: string, keys: string[], args: string[], deadlineMs = REQUEST_DEADLINE_MS): Promise<unknown> {
    if (!SHA1.has(source)) SHA1.set(source, createHash('sha1').update(source).digest('hex'));
    return this.call(async (client) => {
      try {
        return await client.evalSha(SHA1.get(source)!, { keys, arguments: args });
      } catch (error) {
        if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
        return client.eval(source, { keys, arguments: args });
      }
    }, deadlineMs);
  }

  /**
   * The instance's one subscriber-mode connection (pub/sub needs its own), shared by the leaderboard channel
   * and the Socket.IO adapter. It keeps an offline queue: subscriptions made while Redis is down wait for it.
   */
  subscriber(): RedisClient | undefined {
    if (!this.client) return undefined;
    if (!this.subscriberClient) {
      this.subscriberClient = handleRejections(this.client.duplicate({ disableOfflineQueue: false }) as RedisClient);
      this.subscriberClient.on('error', () => undefined); // the main client's health reports outages
      this.subscriberClient.connect().catch(() => undefined);
    }
    return this.subscriberClient;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.probeTimer);
    this.health.stop();
    for (const client of [this.subscriberClient, this.client]) {
      if (!client?.isOpen) continue;
      // close() waits for Redis to answer; a client still (re)connecting, or a hung Redis, would hold up shutdown
      if (client.isReady && this.available) await client.close().catch(() => client.destroy());
      else client.destroy();
    }
  }

  /** A PING unanswered for PROBE_DEADLINE_MS marks Redis unavailable until one is answered. */
  private async probe(): Promise<void> {
    if (!this.client?.isReady || this.probing) return;
    this.probing = true;
    const answered = await withDeadline(this.client.ping(), PROBE_DEADLINE_MS).then(
      () => true,
      () => false,
    );
    this.probing = false;
    if (this.client.isReady) this.health.probed(answered, PROBE_DEADLINE_MS);
  }
}

/**
 * The Socket.IO Redis adapter subscribes without awaiting: a subscription still queued when the client is
 * destroyed (shutdown while Redis is down) would reject unhandled and crash the process. node-redis has no
 * option for this, so the subscriber's (un)subscribe promises are marked handled; callers that await still see them.
 */
function handleRejections(client: RedisClient): RedisClient {
  for (const name of ['subscribe', 'pSubscribe', 'sSubscribe', 'unsubscribe', 'pUnsubscribe', 'sUnsubscribe'] as const) {
    const original = (client[name] as (...args: unknown[]) => Promise<unknown>).bind(client);
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
