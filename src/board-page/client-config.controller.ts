import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ClientConfig } from './client-config.dto';

@ApiTags('board page')
@Controller('config')
export class ClientConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** What the board page needs to know about this server; nothing secret. */
  @Public()
  @Get()
  get(): ClientConfig {
    return { devTokens: this.config.devTokens, scoreMaxIncrement: this.config.scoreMaxIncrement };
  }
}
