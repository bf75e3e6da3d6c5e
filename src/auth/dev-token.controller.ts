import { Body, Controller, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Public } from './auth.decorators';
import { DevTokenDto, DevTokenResponse } from './dev-token.dto';
import { JwtVerifier } from './jwt-verifier.service';

const DEV_TOKEN_TTL_SECONDS = 3600;

@ApiTags('auth')
@Controller('auth')
export class DevTokenController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly verifier: JwtVerifier,
  ) {}

  /** Issues an HS256 token for trying the API (only when DEV_TOKENS is on; never in production). */
  @Public()
  @Post('dev-token')
  @HttpCode(201)
  @ApiNotFoundResponse({ description: 'DEV_TOKENS is off' })
  issue(@Body() body: DevTokenDto): DevTokenResponse {
    if (!this.config.devTokens) throw new NotFoundException('Cannot POST /api/auth/dev-token');
    const claims = { sub: body.sub, name: body.name, scope: body.scope }; // jsonwebtoken wants a plain object
    return { accessToken: this.verifier.sign(claims, DEV_TOKEN_TTL_SECONDS), expiresIn: DEV_TOKEN_TTL_SECONDS };
  }
}
