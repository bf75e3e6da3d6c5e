import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, createCluster, RedisClientType, RedisClusterType } from 'redis';
import { AppConfig } from '../config/app-config';

export type RedisClient = RedisClientType | RedisClusterType;

/**
 * The commands features send through RedisConnection.call: the same on one Redis and on a cluster, which routes
 * each by its first key (EVALSHA too: by the first of its KEYS), so keys used together share a hash tag.
 */
export type RedisCommands = Pick<RedisClientType, 'get' | 'set' | 'del' | 'expire' | 'pExpire' | 'evalSha' | 'eval'>;

/** Commands are never queued while a node is down (callers fall back); each node reconnects by itself. */
const NODE_OPTIONS = {
  disableOfflineQueue: true,
  socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
};

export function isCluster(client: RedisClient): client is RedisClusterType {
  return 'masters' in client;
}

/** The instance's client: one Redis (REDIS_URL), or a cluster discovered from its seed nodes (REDIS_CLUSTER). */
export function createRedisClient(config: AppConfig): RedisClient {
  if (!config.redisClusterNodes) return createClient({ url: config.redisUrl, ...NODE_OPTIONS });
  return createCluster({ rootNodes: config.redisClusterNodes.map((url) => ({ url })), defaults: NODE_OPTIONS }) as RedisClusterType;
}

/** A client for subscriptions (pub/sub needs its own connections) that queues them while a node is down. */
export function duplicateForSubscriptions(client: RedisClient): RedisClient {
  if (!isCluster(client)) return client.duplicate({ disableOfflineQueue: false });
  return client.duplicate({ defaults: { ...NODE_OPTIONS, disableOfflineQueue: false } }) as RedisClusterType;
}

/** Connected: the socket is ready; on a cluster, the slot map is known (a dead node is caught by `pingAll`). */
export function isConnected(client: RedisClient): boolean {
  return isCluster(client) ? client.isOpen && client.masters.length > 0 : client.isReady;
}

/** One Redis reconnects by itself ('error' reports it); a cluster's discovery is retried here until `stopped()`. */
export async function connect(client: RedisClient, stopped: () => boolean): Promise<void> {
  for (let attempt = 0; !stopped(); attempt++) {
    try {
      await client.connect();
      return;
    } catch {
      if (!isCluster(client)) return;
      await sleep(Math.min(100 * 2 ** attempt, 2000));
    }
  }
}

/** PING the one Redis, or every master of a cluster: a dead master makes the keys of its slots unusable. */
export async function pingAll(client: RedisClient): Promise<void> {
  if (!isCluster(client)) {
    await client.ping();
    return;
  }
  if (!isConnected(client)) throw new Error('Redis Cluster not connected');
  await Promise.all(client.masters.map(async (master) => (await client.nodeClient(master)).ping()));
}

/**
 * Reports the client's connection state: a cluster says 'connect' once it knows the slot map, and reports its
 * nodes' errors as 'node-error'; a single client says 'ready' and 'end'.
 */
export function watchConnection(client: RedisClient, changed: (connected: boolean) => void, failed: (error: Error) => void): void {
  const onError = (error: Error) => {
    changed(isConnected(client));
    failed(error);
  };
  client.on('error', onError);
  if (isCluster(client)) {
    client.on('connect', () => changed(true));
    client.on('disconnect', () => changed(false));
    client.on('node-error', onError);
    return;
  }
  client.on('ready', () => changed(true));
  client.on('end', () => changed(false));
}

/**
 * The Socket.IO Redis adapter subscribes without awaiting: a subscription still queued when the client is
 * destroyed (shutdown while Redis is down) would reject unhandled and crash the process. node-redis has no
 * option for this, so the subscriber's (un)subscribe promises are marked handled; callers that await still see them.
 */
export function handleRejections(client: RedisClient): RedisClient {
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
