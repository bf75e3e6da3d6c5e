import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DevTokenController } from './dev-token.controller';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtVerifier } from './jwt-verifier.service';

@Global()
@Module({
  controllers: [DevTokenController],
  providers: [JwtVerifier, { provide: APP_GUARD, useClass: JwtAuthGuard }],
  exports: [JwtVerifier],
})
export class AuthModule {}
