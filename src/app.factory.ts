import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { HttpExceptionFilter } from './http/http-exception.filter';
import { LeaderboardIoAdapter } from './leaderboard/leaderboard-io.adapter';
import { setupConditionalGet } from './http/http-cache';
import { setupSecurity } from './http/security';
import { setupSwagger } from './http/swagger';
import { requestId } from './logging/request-id';

export const BODY_LIMIT_BYTES = 16 * 1024;
/** SIGTERM/SIGINT: the process (or, with WORKERS > 1, every worker) has exited within this. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

/** Builds a fully configured (not yet listening) app; used by main.ts and by the e2e tests. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: config.trustProxy, requestIdHeader: false, genReqId: requestId });
  // Only JSON bodies: any other content type is invalid input (400), like a malformed JSON body
  adapter.getInstance().addContentTypeParser('*', (_request, _payload, done) => {
    done(Object.assign(new Error('Content-Type must be application/json'), { statusCode: 400 }), undefined);
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api', { exclude: ['health', 'health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }));
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  app.useWebSocketAdapter(new LeaderboardIoAdapter(app));
  await setupSecurity(app, config);
  await setupConditionalGet(app);
  setupSwagger(app);
  return app;
}
