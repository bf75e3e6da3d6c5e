import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthIndicatorResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { DependencyChecks } from './dependency-checks';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'error';
  info: HealthIndicatorResult;
  error: HealthIndicatorResult;
  details: HealthIndicatorResult;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly checks: DependencyChecks) {}

  /**
   * Readiness: 200 while PostgreSQL answers (Redis down alone is `degraded`, still 200), otherwise 503.
   * Load balancers route traffic by this one.
   */
  @Public()
  @Get()
  @ApiOkResponse({ description: 'Ready; `status` is `degraded` when Redis is down' })
  @ApiServiceUnavailableResponse({ description: 'PostgreSQL unreachable or shutting down' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const details = { ...(await this.checks.database()), ...(await this.checks.redis()) };
    const down = (key: 'database' | 'redis') => details[key].status === 'down';
    const status = this.checks.shuttingDown || down('database') ? 'error' : down('redis') ? 'degraded' : 'ok';
    const pick = (up: boolean) => Object.fromEntries(Object.entries(details).filter(([, v]) => (v.status === 'up') === up));
    reply.status(status === 'error' ? 503 : 200);
    return { status, info: pick(true), error: pick(false), details };
  }

  /** Liveness: 200 while the process runs and its event loop answers; restart only when this fails. */
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Same as `GET /health` (for probes that want an explicit name). */
  @Public()
  @Get('ready')
  readyAlias(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.ready(reply);
  }
}
