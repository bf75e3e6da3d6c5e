import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 that carries its `Retry-After` (whole seconds, at least 1); the exception filter sets the header. */
export class TooManyRequestsException extends HttpException {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterMs: number) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}
