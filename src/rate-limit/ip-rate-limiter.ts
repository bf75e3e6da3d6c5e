import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RateLimiter } from './rate-limiter.service';

export const IP_WINDOW_MS = 60_000;

/** The client IP of a Socket.IO handshake, as Fastify's `request.ip` sees it with trustProxy: X-Forwarded-For first. */
export function handshakeIp(
  handshake: { address: string; headers: Record<string, string | string[] | undefined> },
  trustProxy: boolean,
): string {
  const forwarded = trustProxy ? handshake.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0].trim();
  return first || handshake.address;
}

/**
 * About IP_RATE_LIMIT unauthenticated requests (public routes) and, separately, Socket.IO connection attempts
 * per client IP per 60 s, shared by all instances. Counted in leases (RateLimiter 'leased'), not one Redis call
 * per request: it guards against floods, where being a few requests off does not matter, on every public read.
 * The IP is Fastify's `request.ip` (X-Forwarded-For only with TRUST_PROXY=true, behind a proxy that sets it).
 */
@Injectable()
export class IpRateLimiter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
  ) {}

  /** For public HTTP routes: throws a 429 with Retry-After when the IP is over its limit. */
  async checkRequest(ip: string): Promise<void> {
    await this.check('ip', ip);
  }

  /** For the Socket.IO handshake (call from the connection middleware); throws a 429. */
  async checkConnection(handshake: Parameters<typeof handshakeIp>[0]): Promise<void> {
    await this.check('connect', handshakeIp(handshake, this.config.trustProxy));
  }

  private async check(kind: string, ip: string): Promise<void> {
    const limit = this.config.ipRateLimit;
    await this.limiter.enforce(`${kind}:${ip}`, limit, IP_WINDOW_MS, `Too many requests from ${ip}: at most ${limit} per minute`, 'leased');
  }
}
