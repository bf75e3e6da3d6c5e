import { Module } from '@nestjs/common';
import { RankingModule } from '../ranking/ranking.module';
import { CreateUserHandler } from './commands/create-user.handler';
import { GetAroundHandler } from './queries/get-around.handler';
import { GetUserHandler } from './queries/get-user.handler';
import { ListUsersHandler } from './queries/list-users.handler';
import { UsersController } from './users.controller';

@Module({
  imports: [RankingModule],
  controllers: [UsersController],
  providers: [CreateUserHandler, GetUserHandler, GetAroundHandler, ListUsersHandler],
})
export class UsersModule {}
