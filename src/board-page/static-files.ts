import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** public/ beside the compiled app (dist/public, copied by nest-cli.json) or at the project root (ts-node, jest). */
export function publicDir(): string {
  const candidates = [join(__dirname, '..', 'public'), join(__dirname, '..', '..', 'public')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`The board page was not found in ${candidates.join(' or ')}`);
  return found;
}

/** The browser client shipped inside the socket.io server package (the gateway itself does not serve it). */
export const SOCKET_IO_CLIENT_PATH = '/vendor/socket.io.min.js';

function socketIoClient(): Buffer {
  return readFileSync(join(dirname(require.resolve('socket.io/package.json')), 'client-dist', 'socket.io.min.js'));
}

/** Serves the score board page at / from public/, and the Socket.IO browser client: no CDN. */
@Injectable()
export class StaticFiles implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(fastifyStatic, {
      root: publicDir(),
      prefix: '/',
      // @nestjs/swagger registers @fastify/static too: a second reply.sendFile decorator would clash
      decorateReply: false,
      // One route per file, no catch-all: unknown paths keep Nest's JSON 404
      wildcard: false,
      index: ['index.html'],
      maxAge: '5m',
    });
    const client = socketIoClient();
    fastify.get(SOCKET_IO_CLIENT_PATH, (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=86400').type('application/javascript; charset=utf-8').send(client);
    });
  }
}
