import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

const QUIET_PATHS = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/**
 * One JSON line per HTTP request: id, method, path (query string dropped: it may carry anything),
 * route, status, time. Echoes the id in X-Request-Id so a client can quote it.
 */
@Injectable()
export class RequestLogger implements OnModuleInit {
  private logger: PinoLogger['logger'];

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    // The root logger (set up by LoggerModule by now): the request-bound one would repeat reqId
    this.logger = PinoLogger.root.child({ context: 'http' });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id);
      done();
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      const path = request.url.split('?')[0];
      if (!QUIET_PATHS.has(path)) {
        const status = reply.statusCode;
        const entry = {
          reqId: request.id,
          method: request.method,
          path,
          route: request.routeOptions.url,
          status,
          ms: Math.round(reply.elapsedTime),
        };
        if (status >= 500) this.logger.error(entry, 'request failed');
        else this.logger.info(entry, 'request completed');
      }
      done();
    });
  }
}
