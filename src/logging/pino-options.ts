import { Options } from 'pino-http';
import { AppConfig } from '../config/app-config';

/**
 * pino for every log line. Requests are logged once by RequestLogger (with the route pattern and Fastify's
 * request id, see request-id.ts); pino-http's middleware is not mounted (see LoggingModule), so error logs
 * of a request carry its id explicitly (HttpExceptionFilter).
 */
export function pinoHttpOptions(config: AppConfig): Options {
  return {
    level: config.logLevel,
    autoLogging: false,
    quietReqLogger: true,
    // Nothing logs headers; should anything ever log a request object, its token is censored
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'auth.token'], censor: '[redacted]' },
  };
}
