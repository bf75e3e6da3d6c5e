import { applyDecorators, CallHandler, ExecutionContext, Header, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import fastifyEtag from '@fastify/etag';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';

/**
 * Public reads may be kept by a shared cache (nginx, a CDN) for about a second and served stale while one
 * request revalidates; browsers revalidate every time (max-age=0), with If-None-Match.
 */
export const SHARED_CACHE_CONTROL = 'public, max-age=0, s-maxage=1, stale-while-revalidate=1';

/** A public read that a shared cache may keep for about a second; If-None-Match with its ETag → 304. */
export const SharedCache = () =>
  applyDecorators(
    Header('Cache-Control', SHARED_CACHE_CONTROL),
    ApiResponse({ status: 304, description: 'Not modified: If-None-Match is the current ETag (no body)' }),
  );

/** Sets the strong ETag of a snapshot: its content hash (contract §5), so no hashing per response. */
@Injectable()
export class SnapshotETagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler<{ hash: string }>): Observable<{ hash: string }> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(map((snapshot) => (reply.header('etag', `"${snapshot.hash}"`), snapshot)));
  }
}

/** For a route that returns a snapshot (`{ hash, … }`): ETag = "<hash>", shared-cacheable; If-None-Match → 304. */
export const SnapshotCache = () => applyDecorators(SharedCache(), UseInterceptors(SnapshotETagInterceptor));

/**
 * @fastify/etag: every response gets a weak ETag (unless the route set one, like a snapshot's) and a GET whose
 * If-None-Match matches gets 304 with no body. It would answer any method that way, so If-None-Match is dropped
 * from anything but GET/HEAD: a submission must never be applied and then answered 304.
 */
export async function setupConditionalGet(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') delete request.headers['if-none-match'];
    done();
  });
  await app.register(fastifyEtag, { weak: true });
}
