import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { HttpExceptionFilter } from './http/http-exception.filter';
import { setupConditionalGet } from './http/http-cache';
import { RedisIoAdapter } from './realtime/redis-io.adapter';
import { setupSecurity } from './http/security';
import { setupSwagger } from './http/swagger';
import { requestId } from './logging/request-id';

export const BODY_LIMIT_BYTES = 16 * 1024;
/** SIGTERM/SIGINT: the process (or, with WORKERS > 1, every worker) has exited within this. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

function invalidPath(error: FastifyError) {
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path segment is too long' : 'The path is not a valid URL';
  return { statusCode: 400, message, error: 'Bad Request' };
}

/** Builds a fully configured (not yet listening) app; used by main.ts and by the e2e tests. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: requestId,
    // A malformed or overlong path segment (e.g. a 400-digit id) is invalid input: 400 in the contract's shape
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) =>
      void reply.status(400).send(invalidPath(error)),
  });
  // Only JSON bodies (Fastify's own parser): any other content type, form data and text included, is invalid input
  // (400). An HttpException, so the exception filter answers it in the contract's shape rather than as a 500.
  adapter.getInstance().removeContentTypeParser('text/plain');
  adapter.getInstance().addContentTypeParser('*', (_request, _payload, done) => {
    done(new BadRequestException('Content-Type must be application/json'), undefined);
  });
  // bodyParser: false keeps Nest from adding its urlencoded parser, which let a form post create a user
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api', { exclude: ['health', 'health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }));
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  app.useWebSocketAdapter(new RedisIoAdapter(app));
  setupSecurity(app, config);
  await setupConditionalGet(app);
  setupSwagger(app);
  return app;
}
