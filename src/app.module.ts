import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from './auth/auth.module';
import { ChangesModule } from './changes/changes.module';
import { BoardPageModule } from './board-page/board-page.module';
import { BoardsModule } from './boards/boards.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LeaderboardModule } from './leaderboard/leaderboard.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { MeModule } from './me/me.module';
import { ModerationModule } from './moderation/moderation.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisModule } from './redis/redis.module';
import { ScoresModule } from './scores/scores.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  /** Each app instance gets its own validated config (several run side by side in tests). */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CqrsModule.forRoot(),
        LoggingModule,
        DatabaseModule,
        RedisModule,
        ChangesModule,
        RateLimitModule,
        MetricsModule,
        AuthModule,
        UsersModule,
        ScoresModule,
        LeaderboardModule,
        BoardsModule,
        ModerationModule,
        MeModule,
        HealthModule,
        BoardPageModule,
      ],
    };
  }
}
