import { createHash } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import {
  connect,
  createRedisClient,
  duplicateForSubscriptions,
  handleRejections,
  isCluster,
  isConnected,
  pingAll,
  RedisClient,
  RedisCommands,
  watchConnection,
} from './redis-clients';
import { RedisHealth } from './redis-health';
import { withDeadline } from './with-deadline';

export type { RedisClient, RedisCommands };

/** A call on a request path: past this, the caller falls back instead of waiting. */
export const REQUEST_DEADLINE_MS = 300;
/** Background work (following the feed, rebuilding) may take longer, but not forever. */
export const BACKGROUND_DEADLINE_MS = 5000;
/** A hung Redis (open socket, no answers) is caught by this probe; callers are bounded by the call deadline. */
const PROBE_INTERVAL_MS = 500;
const PROBE_DEADLINE_MS = 1000;
/** A cluster must be discovered before anything subscribes (sharded channels live on their slot's node). */
const CLUSTER_BOOT_WAIT_MS = 10_000;
const SHA1 = new Map<string, string>();

/**
 * The one way to Redis (none in the embedded dev mode): the instance's client (one Redis, or a Redis Cluster),
 * its health, key names, and calls bounded by a deadline. It connects in the background, never queues commands
 * while disconnected, and reconnects by itself. Each feature owns its own keys and scripts.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly health = new RedisHealth();
  readonly client?: RedisClient;
  /** The instance's subscriber-mode client (pub/sub needs its own connections): leaderboard channel and Socket.IO adapter. */
  readonly subscriber?: RedisClient;
  /** The publication command for `subscribe` channels: sharded pub/sub (Redis 7) on a cluster. */
  readonly publishCommand: 'PUBLISH' | 'SPUBLISH';
  private readonly prefix: string;
  private readonly opened?: Promise<unknown>;
  private probeTimer?: NodeJS.Timeout;
  private probing = false;
  private closed = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.redisPrefix;
    this.publishCommand = config.redisClusterNodes ? 'SPUBLISH' : 'PUBLISH';
    if (!config.redisUrl) return;
    this.client = createRedisClient(config);
    watchConnection(
      this.client,
      (connected) => this.health.connectionChanged(connected),
      (error) => this.health.failed(error),
    );
    // Subscriptions made while Redis is down wait in the subscriber's queue; its errors show in the main client's health
    const subscriber = (this.subscriber = handleRejections(duplicateForSubscriptions(this.client)));
    subscriber.on('error', () => undefined);
    this.opened = Promise.all([connect(this.client, () => this.closed), connect(subscriber, () => this.closed)]);
    this.probeTimer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS).unref();
  }

  get available(): boolean {
    return this.health.available;
  }

  /** Boot waits for a cluster's slot map (an unreachable cluster fails the boot); one Redis connects in the background. */
  async connected(): Promise<void> {
    if (!this.client || !isCluster(this.client)) return;
    const discovered = await withDeadline(this.opened!, CLUSTER_BOOT_WAIT_MS).then(
      () => true,
      () => false,
    );
    if (discovered) return;
    await this.onApplicationShutdown();
    throw new Error(`Redis Cluster: no seed node of REDIS_URL answered within ${CLUSTER_BOOT_WAIT_MS / 1000} s`);
  }

  /** Every key and channel of the service goes through here, so deployments can share a Redis. */
  key(...parts: (string | number)[]): string {
    return this.prefix + parts.join(':');
  }

  /** Runs a command with a deadline; a failure marks Redis unusable for a moment and is rethrown. */
  async call<T>(command: (client: RedisCommands) => Promise<T>, deadlineMs = REQUEST_DEADLINE_MS): Promise<T> {
    if (!this.client || !this.available) throw new Error('Redis unavailable');
    const issuedAt = performance.now();
    try {
      return await withDeadline(command(this.client as RedisCommands), deadlineMs);
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

  /** SUBSCRIBE on one Redis; SSUBSCRIBE on a cluster (the channel lives on its slot's shard, like a key). */
  subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    if (!this.subscriber) return Promise.resolve();
    return isCluster(this.subscriber) ? this.subscriber.sSubscribe(channel, listener) : this.subscriber.subscribe(channel, listener);
  }

  /** Throws unless the one Redis, or every master of the cluster, answers a PING. */
  async ping(): Promise<void> {
    if (this.client) await pingAll(this.client);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.probeTimer);
    this.health.stop();
    for (const client of [this.subscriber, this.client]) {
      if (!client?.isOpen) continue;
      // close() waits for Redis to answer; a client still (re)connecting, or a hung Redis, would hold up shutdown
      if (isConnected(client) && this.available) await client.close().catch(() => client.destroy());
      else client.destroy();
    }
  }

  /** A PING unanswered for PROBE_DEADLINE_MS (by any master of a cluster) marks Redis unavailable until answered. */
  private async probe(): Promise<void> {
    if (!this.client || !isConnected(this.client) || this.probing) return;
    this.probing = true;
    const answered = await withDeadline(pingAll(this.client), PROBE_DEADLINE_MS).then(
      () => true,
      () => false,
    );
    this.probing = false;
    if (isConnected(this.client)) this.health.probed(answered, PROBE_DEADLINE_MS);
  }
}
