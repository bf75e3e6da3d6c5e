import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { pinoHttpOptions } from './pino-options';
import { RequestLogger } from './request-logger';

/** JSON logs (pino): Nest's Logger and one line per HTTP request, with a request id, never a token. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      // stdout as a stream (not pino's own fd writer) so tests can read what was logged. No routes: pino-http's
      // per-request child logger and the AsyncLocalStorage around every request (which turns on promise hooks
      // for the whole process) cost ~20% of a request's CPU; RequestLogger logs each request with its id instead.
      useFactory: (config: AppConfig) => ({ pinoHttp: [pinoHttpOptions(config), process.stdout], forRoutes: [] }),
    }),
  ],
  providers: [RequestLogger],
})
export class LoggingModule {}
