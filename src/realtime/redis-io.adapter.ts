import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RedisConnection } from '../redis/redis-connection';

/** Messages are tiny (a score, a room): anything bigger is abuse. */
export const SOCKET_MAX_MESSAGE_BYTES = 16 * 1024;

// Nest pins its own socket.io copy (same socket.io-adapter at runtime): type against that copy
type IoServer = ReturnType<IoAdapter['createIOServer']>;
type IoOptions = NonNullable<Parameters<IoAdapter['createIOServer']>[1]>;

/**
 * Socket.IO on the HTTP server at /socket.io, with the Redis adapter when Redis is configured, so rooms and
 * broadcasts span instances (node-redis clients: the same library as the cache and the scripts). On a Redis
 * Cluster the sharded adapter: sharded pub/sub (Redis 7) sends each room's messages through one shard only.
 */
export class RedisIoAdapter extends IoAdapter {
  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  createIOServer(port: number, options?: IoOptions): IoServer {
    const config = this.app.get<AppConfig>(APP_CONFIG);
    const server = super.createIOServer(port, {
      ...options,
      path: '/socket.io',
      serveClient: false,
      maxHttpBufferSize: SOCKET_MAX_MESSAGE_BYTES,
      ...(config.corsOrigins.length ? { cors: { origin: config.corsOrigins } } : {}),
    } as IoOptions);
    const redis = this.app.get(RedisConnection);
    if (redis.client && redis.subscriber) {
      const { client, subscriber } = redis;
      const adapter =
        redis.publishCommand === 'SPUBLISH'
          ? createShardedAdapter(client, subscriber, { channelPrefix: redis.key('socket.io') })
          : createAdapter(client, subscriber, { key: redis.key('socket.io') });
      server.adapter(adapter as unknown as Parameters<IoServer['adapter']>[0]);
    }
    return server;
  }
}
