import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IpRateLimitGuard } from './ip-rate-limit.guard';
import { IpRateLimiter } from './ip-rate-limiter';
import { RateLimiter } from './rate-limiter.service';
import { ScoreRateLimiter } from './score-rate-limiter';

@Global()
@Module({
  providers: [RateLimiter, ScoreRateLimiter, IpRateLimiter, { provide: APP_GUARD, useClass: IpRateLimitGuard }],
  exports: [ScoreRateLimiter, IpRateLimiter],
})
export class RateLimitModule {}
