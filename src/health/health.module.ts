import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DependencyChecks } from './dependency-checks';
import { HealthController } from './health.controller';
import { HttpMetrics } from './http-metrics';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [DependencyChecks, HttpMetrics],
})
export class HealthModule {}
