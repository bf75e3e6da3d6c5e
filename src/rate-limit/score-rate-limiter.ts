import { Inject, Injectable } from '@nestjs/common';
import { hasScope, Principal, SCOPES } from '../auth/principal';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RateLimiter } from './rate-limiter.service';

export const SCORE_WINDOW_MS = 60_000;

/** SCORE_RATE_LIMIT submissions per player (`sub`) in any 60 s, over REST and Socket.IO together. */
@Injectable()
export class ScoreRateLimiter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
  ) {}

  /** Throws a 429 when the caller is over the limit; the game backend (`scores:write`) is exempt. */
  async check(principal: Principal): Promise<void> {
    const limit = this.config.scoreRateLimit;
    if (hasScope(principal, SCOPES.scoresWrite) || principal.sub === undefined) return;
    await this.limiter.enforce(`score:${principal.sub}`, limit, SCORE_WINDOW_MS, `Too many score submissions: at most ${limit} per minute`);
  }
}
