import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Fastify's request id: the caller's (or nginx's) X-Request-Id when it is sane, otherwise a new UUID. */
export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}
