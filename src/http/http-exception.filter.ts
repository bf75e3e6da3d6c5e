import type { FastifyReply } from 'fastify';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable } from '../database/database-errors';
import { TooManyRequestsException } from '../rate-limit/too-many-requests.exception';

export interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
}

/** Turns any error into the contract's `{ statusCode, message, error }`, never with a stack trace. */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : ((response as { message?: string | string[] }).message ?? exception.message);
    return { statusCode, message, error: STATUS_CODES[statusCode] ?? 'Error' };
  }
  if (isDatabaseUnavailable(exception)) {
    return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, message: 'Database unavailable, try again shortly', error: 'Service Unavailable' };
  }
  return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error', error: 'Internal Server Error' };
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = toErrorBody(exception);
    // The request's id, so the line can be matched with the request's own log line (no AsyncLocalStorage: see LoggingModule)
    const reqId = host.getType() === 'http' ? (host.switchToHttp().getRequest<{ id?: string }>()?.id ?? undefined) : undefined;
    // A database outage answers many requests: one line each, the stack only for real bugs
    if (body.statusCode === (HttpStatus.SERVICE_UNAVAILABLE as number)) this.logger.warn({ reqId }, `503: ${(exception as Error).message}`);
    else if (body.statusCode >= 500)
      this.logger.error({ reqId }, exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (body.statusCode === (HttpStatus.SERVICE_UNAVAILABLE as number)) void reply.header('Retry-After', '1');
    if (exception instanceof TooManyRequestsException) void reply.header('Retry-After', String(exception.retryAfterSeconds));
    void reply.status(body.statusCode).send(body);
  }
}
