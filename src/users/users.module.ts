import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RankingModule } from '../ranking/ranking.module';
import { CreateUserHandler } from './commands/create-user.handler';
import { GetAroundHandler } from './queries/get-around.handler';
import { GetUserHandler } from './queries/get-user.handler';
import { ListUsersHandler } from './queries/list-users.handler';
import { User } from './user.entity';
import { UserRanks } from './user-ranks.service';
import { UsersController } from './users.controller';

@Module({
  imports: [TypeOrmModule.forFeature([User]), RankingModule],
  controllers: [UsersController],
  providers: [CreateUserHandler, GetUserHandler, GetAroundHandler, ListUsersHandler, UserRanks],
  exports: [UserRanks],
})
export class UsersModule {}
