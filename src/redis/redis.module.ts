import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RedisConnection } from './redis-connection';

@Global()
@Module({
  providers: [
    {
      provide: RedisConnection,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const redis = new RedisConnection(config);
        await redis.connected();
        return redis;
      },
    },
  ],
  exports: [RedisConnection],
})
export class RedisModule {}
