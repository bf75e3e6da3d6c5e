import { Module } from '@nestjs/common';
import { ClientConfigController } from './client-config.controller';
import { StaticFiles } from './static-files';

/** The score board page at / (static files in public/) and the little config it reads. */
@Module({ controllers: [ClientConfigController], providers: [StaticFiles] })
export class BoardPageModule {}
